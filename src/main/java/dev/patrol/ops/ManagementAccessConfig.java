package dev.patrol.ops;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Puts {@link ManagementAccessFilter} in front of the actuator endpoints, wherever they are served: in the
 * management port's own context (listed in META-INF/spring/...ManagementContextConfiguration.imports), or in the
 * application's when {@code management.server.port} is the public port. Never on the public port otherwise: there
 * the endpoints do not exist at all.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@Conditional(ManagementAccessConfig.ServesManagementEndpoints.class)
class ManagementAccessConfig {

    @Bean
    FilterRegistrationBean<ManagementAccessFilter> managementAccessFilter(Environment environment,
            ManagementProperties properties) {
        String basePath = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        var registration = new FilterRegistrationBean<>(new ManagementAccessFilter(basePath, properties));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** The management port's child context (it has the application's as parent), or the application's own port. */
    static class ServesManagementEndpoints implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean managementChild = context.getBeanFactory() != null
                    && context.getBeanFactory().getParentBeanFactory() != null;
            return managementChild || ManagementPortType.get(context.getEnvironment()) == ManagementPortType.SAME;
        }
    }
}
