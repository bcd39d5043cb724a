package dev.patrol.auth;

import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.shared.Caller;
import dev.patrol.shared.Source;
import dev.patrol.token.AccessToken;

/**
 * Follows a door's checks: the request passed them all, so the address's failure count is reset, the
 * {@link Caller} and its user are stored as request attributes for the handler, and the log line names the user,
 * the token and any {@code Sudo} user. Never refuses.
 */
final class Admission implements Step {

    private final FailedAuthBan bans;

    Admission(FailedAuthBan bans) {
        this.bans = bans;
    }

    @Override
    public boolean pass(Passage passage) {
        bans.recordSuccess(passage.ip);
        User user = passage.user;
        AccessToken token = passage.token;
        Actor actor = new Actor(user.id(), user.username(), user.admin(), Source.API, passage.ip);
        passage.request.setAttribute(Caller.KEY, new Caller(actor, token.id(), token.scopeIds()));
        passage.request.setAttribute(Caller.USER_KEY, user);
        passage.put("user_id", user.id()).put("username", user.username()).put("token_id", passage.tokenId())
                .put("sudo_by", passage.sudoer == null ? null : passage.sudoer.username());
        return true;
    }
}
