package dev.patrol.token;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Resource;
import dev.patrol.shared.Caller;
import dev.patrol.shared.GlobalId;
import dev.patrol.shared.Payloads;
import dev.patrol.shared.Payloads.Outcome;

/** Serves {@code ciJobStart} and {@code ciJobFinish}: the lifecycle that bounds a CI/CD job token. */
@Controller
class CiJobController {

    private final TokenService tokens;
    private final OwnerService owners;

    CiJobController(TokenService tokens, OwnerService owners) {
        this.tokens = tokens;
        this.owners = owners;
    }

    record CiJobStartInput(String projectId, String name) {
    }

    record CiJobStartPayload(Resource job, String token, AccessToken accessToken, List<String> errors) {
    }

    record CiJobFinishInput(String id) {
    }

    record CiJobFinishPayload(Resource job, Integer tokensRevoked, List<String> errors) {
    }

    @MutationMapping
    CiJobStartPayload ciJobStart(@Argument CiJobStartInput input, @ContextValue Caller caller) {
        long projectId = GlobalId.parse(input.projectId(), "Project");
        Outcome<TokenService.StartedCiJob> outcome = Payloads.attempt(
                () -> tokens.startCiJob(caller.actor(), projectId, input.name()));
        TokenService.StartedCiJob started = outcome.value();
        return started == null ? new CiJobStartPayload(null, null, null, outcome.errors())
                : new CiJobStartPayload(started.job(), started.token().secret(), started.token().token(), List.of());
    }

    @MutationMapping
    CiJobFinishPayload ciJobFinish(@Argument CiJobFinishInput input, @ContextValue Caller caller) {
        long jobId = GlobalId.parse(input.id(), "CiJob");
        Outcome<Integer> outcome = Payloads.attempt(() -> tokens.finishCiJob(caller.actor(), jobId));
        return outcome.value() == null ? new CiJobFinishPayload(null, null, outcome.errors())
                : new CiJobFinishPayload(owners.resource(jobId), outcome.value(), List.of());
    }
}
