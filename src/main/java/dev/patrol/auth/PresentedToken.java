package dev.patrol.auth;

import java.io.IOException;
import java.util.function.Function;

import org.springframework.http.HttpStatus;

import jakarta.servlet.http.HttpServletRequest;

/** Finds the token value where this door expects it; 401 {@code token_missing} when there is none. */
final class PresentedToken implements Step {

    private final Function<HttpServletRequest, String> source;
    private final String missingMessage;

    private PresentedToken(Function<HttpServletRequest, String> source, String missingMessage) {
        this.source = source;
        this.missingMessage = missingMessage;
    }

    /** {@code PRIVATE-TOKEN: <token>}, or else {@code Authorization: Bearer <token>}. */
    static PresentedToken inHeaders() {
        return new PresentedToken(PresentedToken::fromHeaders, "Authentication required: send a token in the "
                + "PRIVATE-TOKEN header or as 'Authorization: Bearer <token>'.");
    }

    /** {@code ?<parameter>=<token>}, as calendar clients can send nothing else. */
    static PresentedToken inParameter(String parameter, String missingMessage) {
        return new PresentedToken(request -> nonBlank(request.getParameter(parameter)), missingMessage);
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        String value = source.apply(passage.request);
        if (value == null) {
            return passage.refuse(HttpStatus.UNAUTHORIZED, "token_missing", missingMessage);
        }
        passage.presentedToken = value;
        return true;
    }

    /** The token of {@link #inHeaders()}, or null. */
    static String fromHeaders(HttpServletRequest request) {
        String header = nonBlank(request.getHeader("PRIVATE-TOKEN"));
        if (header != null) {
            return header;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return null;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
