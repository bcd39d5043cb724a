package dev.patrol.auth;

/** Notes that the token was used, from where and with which scope ({@link UsageBuffer}); never refuses. */
final class UsageRecording implements Step {

    private final UsageBuffer usage;

    UsageRecording(UsageBuffer usage) {
        this.usage = usage;
    }

    @Override
    public boolean pass(Passage passage) {
        usage.record(passage.token.id(), passage.ip, passage.scope);
        return true;
    }
}
