package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Lets on only POSTs (405 with {@code Allow: POST} otherwise), and for doors that read a form only
 * {@code application/x-www-form-urlencoded} bodies (415 otherwise), before any credential is looked at.
 */
final class PostRequest implements Step {

    private final boolean formOnly;

    private PostRequest(boolean formOnly) {
        this.formOnly = formOnly;
    }

    /** A POSTed form, as RFC 7662 sends the token to introspect. */
    static PostRequest form() {
        return new PostRequest(true);
    }

    /** A POST with any body (JSON or a form, as GitLab's REST API takes both). */
    static PostRequest any() {
        return new PostRequest(false);
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        if (!HttpMethod.POST.matches(passage.request.getMethod())) {
            passage.response.setHeader(HttpHeaders.ALLOW, HttpMethod.POST.name());
            return passage.refuse(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "Use POST.");
        }
        if (formOnly && !isForm(passage.request.getContentType())) {
            passage.response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_FORM_URLENCODED_VALUE);
            return passage.refuse(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Send the parameters as " + MediaType.APPLICATION_FORM_URLENCODED_VALUE + ".");
        }
        return true;
    }

    private static boolean isForm(String contentType) {
        return contentType != null
                && contentType.regionMatches(true, 0, MediaType.APPLICATION_FORM_URLENCODED_VALUE, 0,
                        MediaType.APPLICATION_FORM_URLENCODED_VALUE.length());
    }
}
