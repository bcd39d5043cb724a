package dev.patrol.auth;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * Reads the body of a GraphQL POST so the operation can be judged before it runs; one larger than
 * {@value #MAX_BODY_BYTES} bytes is refused (413) before it is parsed. Queries are limited far below this anyway.
 */
final class BodyLimit implements Step {

    static final int MAX_BODY_BYTES = 1024 * 1024;

    @Override
    public boolean pass(Passage passage) throws IOException {
        if (!HttpMethod.POST.matches(passage.request.getMethod())
                || !passage.request.getRequestURI().equals(ApiOperation.GRAPHQL_PATH)) {
            return true;
        }
        try (InputStream in = passage.request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                return passage.refuse(HttpStatus.CONTENT_TOO_LARGE, "request_too_large",
                        "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
            }
            passage.body = body;
        }
        return true;
    }
}
