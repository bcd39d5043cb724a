// Lists the personal access tokens of human users, and the project and group access tokens, that expire
// between today and today + PERIOD: a port of GitLab's expired_tokens_date_range.rb, same output lines.
//
// Usage: runner expired_tokens_date_range.groovy [PERIOD]
//   PERIOD: 1.month (the default), 2.weeks, 10.days, 1.year, or ISO-8601 like P1M

def raw = argument(0, '1.month')
def match = raw =~ /^(\d+)\.?(days?|weeks?|months?|years?)$/
Period period
if (match.matches()) {
    int n = match.group(1) as int
    period = switch (match.group(2)) {
        case ~/days?/ -> Period.ofDays(n)
        case ~/weeks?/ -> Period.ofWeeks(n)
        case ~/months?/ -> Period.ofMonths(n)
        default -> Period.ofYears(n)
    }
} else {
    try {
        period = Period.parse(raw)
    } catch (java.time.format.DateTimeParseException e) {
        fail("PERIOD must look like 1.month, 2.weeks, 10.days or P1M, not '${raw}'.")
    }
}
def dateRange = today..(today + period)

PersonalAccessTokens.ownerIsHuman().where(expiresAt: dateRange).each { token ->
    println "Expired personal access token ID: ${token.id}, User Email: ${token.user.email ?: ''}, Name: ${token.name}, Scopes: ${token.scopeList}, Last used: ${token.lastUsed}"
}

PersonalAccessTokens.projectAccessToken().where(expiresAt: dateRange).each { token ->
    def type = token.groupId != null ? 'Group' : 'Project'
    println "Expired ${type} access token in ${type} ID ${token.groupId ?: token.projectId}, Token ID: ${token.id}, Name: ${token.name}, Scopes: ${token.scopeList}, Last used: ${token.lastUsed}"
}
