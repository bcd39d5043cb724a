// Creates a personal access token with a predetermined value, for tests and automation: a port of GitLab's
// set_token example. The value is either a complete, well-formed glpat- value or the 32 letters and digits
// of its random part (the prefix and checksum are then added and the value is printed once).
//
// Usage: runner create_token.groovy USERNAME VALUE [--name NAME] [--scopes read_user,read_repository]
//                                                   [--expires-at DATE]

def username = argument(0)
def given = argument(1)
def user = Users.findByUsername(username)
if (user == null) {
    fail("No user '${username}'.")
}
def value = given.startsWith('glpat-') ? given : PersonalAccessTokens.valueFor('PERSONAL', given)
def token = user.createPersonalAccessToken(
        name: option('name', 'Automation token'),
        scopes: option('scopes', 'read_user,read_repository').split(',').collect { it.trim() },
        expiresAt: option('expires-at', null),
        value: value)
println "Created personal access token ID: ${token.id} for ${user.username}, Name: ${token.name}, Scopes: ${token.scopeList}, Expires: ${token.expiresAt ?: 'never'}"
if (value != given) {
    println "Token value: ${token.value}"
}
