// Revokes the token with the given value (audited, with you as the operator): a port of GitLab's
// PersonalAccessToken.find_by_token('...').revoke! example. The value is never printed.
//
// Usage: runner revoke_token.groovy VALUE

def token = AccessTokens.findByToken(argument(0))
if (token == null) {
    fail('No token has that value.')
}
if (token.revoke()) {
    println "Revoked ${token.type.toLowerCase().replace('_', ' ')} token ID: ${token.id}, Name: ${token.name}"
} else {
    println "Token ID: ${token.id} was already revoked; nothing changed"
}
