package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/** A GraphQL mutation sent with GET is refused (405, {@code Allow: POST}): GET must not change anything. */
final class MutationsNeedPost implements Step {

    @Override
    public boolean pass(Passage passage) throws IOException {
        if (HttpMethod.GET.matches(passage.request.getMethod()) && passage.call.kind() == ApiCall.Kind.WRITE
                && passage.request.getRequestURI().equals(ApiOperation.GRAPHQL_PATH)) {
            passage.response.setHeader("Allow", "POST");
            return passage.refuse(HttpStatus.METHOD_NOT_ALLOWED, "mutation_over_get",
                    "Mutations must be sent with POST.");
        }
        return true;
    }
}
