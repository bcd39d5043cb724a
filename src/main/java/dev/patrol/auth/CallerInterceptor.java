package dev.patrol.auth;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.patrol.shared.Caller;
import reactor.core.publisher.Mono;

/**
 * Puts the request's {@link Caller} and the caller's user into the GraphQL context, where controllers read them with
 * {@code @ContextValue}.
 */
@Component
class CallerInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Object caller = attribute(request, Caller.KEY);
        if (caller != null) {
            Object found = caller;
            Object user = attribute(request, Caller.USER_KEY);
            request.configureExecutionInput((input, builder) -> builder.graphQLContext(context -> {
                context.put(Caller.KEY, found);
                if (user != null) {
                    context.put(Caller.USER_KEY, user);
                }
            }).build());
        }
        return chain.next(request);
    }

    /** From the GraphQL request's attributes, or else the servlet request's ({@link Admission} sets them there). */
    private static Object attribute(WebGraphQlRequest request, String key) {
        Object value = request.getAttributes().get(key);
        if (value == null) {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            value = attributes == null ? null : attributes.getAttribute(key, RequestAttributes.SCOPE_REQUEST);
        }
        return value;
    }
}
