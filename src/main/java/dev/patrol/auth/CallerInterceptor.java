package dev.patrol.auth;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import reactor.core.publisher.Mono;

/** Puts the request's {@link Caller} into the GraphQL context, where controllers read it with {@code @ContextValue}. */
@Component
class CallerInterceptor implements WebGraphQlInterceptor {

    @Override
    public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
        Object caller = request.getAttributes().get(Caller.KEY);
        if (caller == null) {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            caller = attributes == null ? null : attributes.getAttribute(Caller.KEY, RequestAttributes.SCOPE_REQUEST);
        }
        if (caller != null) {
            Object found = caller;
            request.configureExecutionInput((input, builder) ->
                    builder.graphQLContext(context -> context.put(Caller.KEY, found)).build());
        }
        return chain.next(request);
    }
}
