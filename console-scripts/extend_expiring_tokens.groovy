// Moves the expiry of every unrevoked personal, project and group access token (not impersonation tokens)
// that expires on DATE to NEW_DATE (default: six months from today), with set-based updates and one audit
// event: a port of GitLab's extend_expiring_tokens.rb, same output line.
//
// Usage: runner extend_expiring_tokens.groovy DATE [NEW_DATE]     (dates like 2024-05-30)

def expiringDate = date(0)
def newExpiresAt = date(1, today.plusMonths(6))

def totalUpdated = PersonalAccessTokens.extendExpiringOn(expiringDate, newExpiresAt)
println "Updated ${totalUpdated} tokens with new expiry date ${newExpiresAt}"
