package dev.patrol.auth;

/**
 * Follows the introspection door's checks: the address's failure count is reset, the log line names the caller
 * (its user, if any, and its token or OAuth application secret), the caller's own use of its credential is noted,
 * and the {@link Passage} is handed to the handler, which adds what it learned to the same log line. Never refuses.
 */
final class ResourceServerAdmission implements Step {

    /** The request attribute under which the handler finds the {@link Passage}. */
    static final String PASSAGE = ResourceServerAdmission.class.getName() + ".passage";

    private final FailedAuthBan bans;
    private final UsageBuffer usage;

    ResourceServerAdmission(FailedAuthBan bans, UsageBuffer usage) {
        this.bans = bans;
        this.usage = usage;
    }

    @Override
    public boolean pass(Passage passage) {
        bans.recordSuccess(passage.ip);
        if (passage.user != null) {
            passage.put("user_id", passage.user.id()).put("user", passage.user.username());
        }
        passage.put("token_id", passage.tokenId());
        usage.record(passage.token.id(), passage.ip, passage.scope);
        passage.request.setAttribute(PASSAGE, passage);
        return true;
    }
}
