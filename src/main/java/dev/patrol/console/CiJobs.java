package dev.patrol.console;

import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.token.TokenService;

/** CI jobs for scripts: start one (with its job token) and finish it, through the token service (audited). */
public final class CiJobs {

    private final ScriptContext context;

    CiJobs(ScriptContext context) {
        this.context = context;
    }

    /** Starts a job of the project run as the operator; the returned handle shows the job token's value once. */
    public TokenHandle start(Project project, String name) {
        TokenService.StartedCiJob started = context.services().tokens().startCiJob(context.actor(), project.id(), name);
        return new TokenHandle(context, started.token().token(), null, started.token().secret());
    }

    /** Finishes a running job and revokes its job token; returns how many tokens were revoked. */
    public int finish(long jobId) {
        return context.services().tokens().finishCiJob(context.actor(), jobId);
    }

    /** Finishes the job whose token this is (the handle {@link #start} returned). */
    public int finish(TokenHandle jobToken) {
        return finish(jobToken.getResourceId());
    }

    public Resource find(long jobId) {
        return context.services().owners().resource(jobId);
    }
}
