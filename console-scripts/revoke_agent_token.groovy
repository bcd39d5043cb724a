// Revokes an agent for Kubernetes token given its value, through the token service so an audit event is
// written with you as the operator (GitLab's RevokeService; its "manual" revoke! skips the audit event: ours
// never does).
//
// Usage: runner revoke_agent_token.groovy VALUE

def token = ClusterAgentTokens.findByToken(argument(0))
if (token == null) {
    fail('No agent token has that value.')
}
if (token.revoke()) {
    println "Revoked agent token ID: ${token.id} of agent ID: ${token.agent.id} in project ID: ${token.agent.projectId}"
} else {
    println "Agent token ID: ${token.id} was already revoked; nothing changed"
}
