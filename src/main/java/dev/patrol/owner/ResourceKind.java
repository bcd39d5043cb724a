package dev.patrol.owner;

/** Holders of tokens that are neither users, projects nor groups. */
public enum ResourceKind {
    RUNNER, CLUSTER_AGENT, OAUTH_APPLICATION, CI_JOB, WORKSPACE;

    /** "cluster agent". */
    public String label() {
        return name().toLowerCase().replace('_', ' ');
    }
}
