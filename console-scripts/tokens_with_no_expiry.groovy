// Lists the personal access tokens of human users, and the project and group access tokens, that have no
// expiry date: a port of GitLab's tokens_with_no_expiry.rb, same output lines. Read-only.
//
// Usage: runner tokens_with_no_expiry.groovy

PersonalAccessTokens.ownerIsHuman().where(expiresAt: null).each { token ->
    println "Expires_at is nil for personal access token ID: ${token.id}, User Email: ${token.user.email ?: ''}, Name: ${token.name}, Scopes: ${token.scopeList}, Last used: ${token.lastUsed}"
}

PersonalAccessTokens.projectAccessToken().where(expiresAt: null).each { token ->
    def type = token.groupId != null ? 'Group' : 'Project'
    println "Expires_at is nil for ${type} access token in ${type} ID ${token.groupId ?: token.projectId}, Token ID: ${token.id}, Name: ${token.name}, Scopes: ${token.scopeList}, Last used: ${token.lastUsed}"
}
