package dev.patrol.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Wiring of the REST API: {@link Params} as a handler argument, and paths that carry an encoded slash. */
@Configuration
class RestConfig implements WebMvcConfigurer {

    /** Bodies of REST calls are a few fields; anything larger is not one. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final JsonMapper json;

    RestConfig(JsonMapper json) {
        this.json = json;
    }

    /**
     * {@code :id} may be a project's or group's path with its slash encoded ({@code /projects/acme%2Fapi/...}), as
     * GitLab's clients send it. Tomcat refuses {@code %2F} in a path by default; passed through undecoded, it stays
     * inside one segment for the handler mapping, which decodes the path variable to {@code acme/api}.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return (Connector connector) -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ParamsResolver());
    }

    private final class ParamsResolver implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Params.class;
        }

        @Override
        public Params resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest web,
                WebDataBinderFactory binders) throws IOException {
            HttpServletRequest request = web.getNativeRequest(HttpServletRequest.class);
            return new Params(jsonBody(request), request.getParameterMap());
        }

        private static boolean isJson(String contentType) {
            try {
                return contentType != null
                        && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
            } catch (InvalidMediaTypeException e) {
                return false;
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> jsonBody(HttpServletRequest request) throws IOException {
            if (!isJson(request.getContentType())) {
                return Map.of();
            }
            byte[] body;
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw RestError.badRequest("the body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            if (body.length == 0) {
                return Map.of();
            }
            try {
                return json.readValue(body, Map.class) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
            } catch (JacksonException e) {
                throw RestError.badRequest("the body is not a JSON object");
            }
        }
    }
}
