// Creates a small, realistic estate to try the API and the inventory with: a group with a subgroup and
// projects, three people and a service account with memberships, and personal, project, group, deploy,
// trigger, feed, runner and agent tokens (one revoked, some expiring soon, some never used). Everything goes
// through the services, so each change is audited. New token values are printed once.
//
// Usage: runner seed_demo_data.groovy [--prefix demo]

def prefix = option('prefix', 'demo')
if (Groups.findByPath(prefix) != null) {
    fail("Group '${prefix}' already exists; pass --prefix NAME for another copy.")
}

def group = Groups.create(null, prefix)
def platform = Groups.create(group.fullPath(), 'platform')
def web = Groups.createProject(group.fullPath(), 'web')
def api = Groups.createProject(platform.fullPath(), 'api')

def alice = Users.create("${prefix}-alice", "${prefix}-alice@example.com", false)
def bob = Users.create("${prefix}-bob", "${prefix}-bob@example.com", false)
def carol = Users.create("${prefix}-carol", "${prefix}-carol@example.com", false)
def robot = Users.createServiceAccount("${prefix}-ci", group.id())
Groups.addMember(group, alice, 'OWNER')
Groups.addMember(platform, bob, 'MAINTAINER')
Groups.addMember(web, carol, 'DEVELOPER')

def created = []
created << alice.createPersonalAccessToken(name: 'laptop', scopes: ['api'], expiresAt: today.plusDays(5))
created << alice.createPersonalAccessToken(name: 'renovate', scopes: ['read_api', 'read_repository'], expiresAt: today.plusDays(30))
created << bob.createPersonalAccessToken(name: 'terraform', scopes: ['api', 'write_repository'], expiresAt: today.plusDays(90))
created << carol.createPersonalAccessToken(name: 'ide', scopes: ['read_user'], expiresAt: today.plusDays(30))
created << robot.createPersonalAccessToken(name: 'pipeline', scopes: ['read_api'], expiresAt: today.plusDays(60))
created << AccessTokens.create(type: 'PROJECT', projectId: web.id(), name: 'web-release', scopes: ['api'], expiresAt: today.plusDays(30), accessLevel: 40)
created << AccessTokens.create(type: 'GROUP', groupId: platform.id(), name: 'platform-bot', scopes: ['read_api', 'read_registry'], expiresAt: today.plusDays(180), accessLevel: 30)
created << AccessTokens.create(type: 'DEPLOY', projectId: api.id(), name: 'k8s-pull', scopes: ['read_registry'])
created << AccessTokens.create(type: 'PIPELINE_TRIGGER', projectId: api.id(), name: 'nightly')
created << AccessTokens.create(type: 'FEED', userId: alice.id, name: 'Feed token')

def runner = Groups.createResource('RUNNER', web, 'web-runner')
def agent = Groups.createResource('CLUSTER_AGENT', api, 'prod-agent')
created << AccessTokens.create(type: 'RUNNER_AUTHENTICATION', resourceId: runner.id(), name: 'web-runner')
created << AccessTokens.create(type: 'CLUSTER_AGENT', resourceId: agent.id(), name: 'prod-agent')

def leaked = bob.createPersonalAccessToken(name: 'old-laptop', scopes: ['api'], expiresAt: today.plusDays(10))
leaked.revoke()

created.each { token ->
    println "${token.type.padRight(22)} ID ${token.id.toString().padRight(6)} ${token.name.padRight(14)} ${token.value}"
}
println "Created group '${group.fullPath()}' with ${created.size() + 1} tokens (1 revoked) for 4 users."
