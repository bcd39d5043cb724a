package dev.patrol.token;

/** What a token type belongs to, which decides the columns it fills and who may manage it. */
public enum Holder {
    /** A user's own token (personal, impersonation, feed, incoming mail). */
    USER,
    /** A project, through a bot user created with the token. */
    PROJECT_BOT,
    /** A group, through a bot user created with the token. */
    GROUP_BOT,
    /** A project or a group, with no user (deploy tokens). */
    PROJECT_OR_GROUP,
    /** A project, with no user of its own (trigger, feature flags client). */
    PROJECT,
    /** A top-level group (SCIM). */
    TOP_LEVEL_GROUP,
    /** A runner, agent, OAuth application, CI job or workspace. */
    RESOURCE
}
