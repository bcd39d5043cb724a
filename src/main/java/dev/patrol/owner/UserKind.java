package dev.patrol.owner;

/** What kind of account a user is. Bots are created by Patrol for project and group access tokens. */
public enum UserKind {
    HUMAN, PROJECT_BOT, GROUP_BOT, SERVICE_ACCOUNT;

    public boolean isBot() {
        return this == PROJECT_BOT || this == GROUP_BOT;
    }
}
