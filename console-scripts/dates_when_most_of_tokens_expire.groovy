// The ten dates from today on when most personal, impersonation, project and group access tokens expire:
// a port of GitLab's dates_when_most_of_tokens_expire.rb, same output lines. Read-only.
//
// Usage: runner dates_when_most_of_tokens_expire.groovy

def count = org.jooq.impl.DSL.count()
dsl.select(ACCESS_TOKENS.EXPIRES_AT, count)
        .from(ACCESS_TOKENS)
        .where(ACCESS_TOKENS.EXPIRES_AT.ge(today))
        .and(ACCESS_TOKENS.TYPE.in('PERSONAL', 'IMPERSONATION', 'PROJECT', 'GROUP'))
        .groupBy(ACCESS_TOKENS.EXPIRES_AT)
        .orderBy(count.desc(), ACCESS_TOKENS.EXPIRES_AT)
        .limit(10)
        .each { row ->
            println "${row.value2()} Personal access tokens will expire at ${row.value1()}"
        }
