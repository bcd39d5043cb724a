package dev.patrol.token;

import org.springframework.boot.jooq.autoconfigure.DefaultConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * jOOQ settings for every query. On MySQL jOOQ would wrap a GROUP_CONCAT in statements that raise the session's
 * group_concat_max_len, which needs multi-statement support on the connection; Patrol concatenates only scope
 * names, far below the default limit, so it is turned off.
 */
@Configuration(proxyBeanMethods = false)
class JooqSettings {

    @Bean
    DefaultConfigurationCustomizer patrolJooqSettings() {
        return configuration -> configuration.settings().withRenderGroupConcatMaxLenSessionVariable(false);
    }
}
