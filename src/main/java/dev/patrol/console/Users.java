package dev.patrol.console;

import dev.patrol.owner.NewUser;
import dev.patrol.owner.UserKind;

/** Users for scripts: {@code Users.findByUsername('automation-bot')}. */
public final class Users {

    private final ScriptContext context;

    Users(ScriptContext context) {
        this.context = context;
    }

    /** The user with this username, or null. */
    public UserHandle findByUsername(String username) {
        return context.services().ownerRepository().findUserByUsername(username)
                .map(u -> new UserHandle(context, u)).orElse(null);
    }

    public UserHandle find(long id) {
        return context.services().ownerRepository().findUser(id).map(u -> new UserHandle(context, u)).orElse(null);
    }

    /** Creates a human user (audited). */
    public UserHandle create(String username, String email, boolean admin) {
        return new UserHandle(context, context.services().owners().createUser(context.actor(),
                new NewUser(username, username, email, UserKind.HUMAN, admin, null)));
    }

    /** Creates a service account managed by a top-level group (audited). */
    public UserHandle createServiceAccount(String username, long groupId) {
        return new UserHandle(context, context.services().owners().createUser(context.actor(),
                new NewUser(username, username, null, UserKind.SERVICE_ACCOUNT, false, groupId)));
    }
}
