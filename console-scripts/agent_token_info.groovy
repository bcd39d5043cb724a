// Shows the token, agent and project IDs of an agent for Kubernetes token, given its value: a port of
// GitLab's Clusters::AgentToken.find_by_token('glagent-...') look-ups. Read-only.
//
// Usage: runner agent_token_info.groovy VALUE

def token = ClusterAgentTokens.findByToken(argument(0))
if (token == null) {
    fail('No agent token has that value.')
}
println "Token ID: ${token.id}"
println "Agent ID: ${token.agent.id}"
println "Project ID: ${token.agent.projectId}"
