// Lists the personal access tokens of human users, and the project and group access tokens, that expire on
// DATE: a port of GitLab's expired_tokens.rb, with the same output lines.
//
// Usage: runner expired_tokens.groovy DATE      (DATE like 2024-05-22: one year after the 16.0 upgrade)

def expiresAtDate = date(0)

PersonalAccessTokens.ownerIsHuman().where(expiresAt: expiresAtDate).each { token ->
    println "Expired personal access token ID: ${token.id}, User Email: ${token.user.email ?: ''}, Name: ${token.name}, Scopes: ${token.scopeList}, Last used: ${token.lastUsed}"
}

PersonalAccessTokens.projectAccessToken().where(expiresAt: expiresAtDate).each { token ->
    def type = token.groupId != null ? 'Group' : 'Project'
    println "Expired ${type} access token in ${type} ID ${token.groupId ?: token.projectId}, Token ID: ${token.id}, Name: ${token.name}, Scopes: ${token.scopeList}, Last used: ${token.lastUsed}"
}
