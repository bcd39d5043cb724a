package dev.patrol.database;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Makes the pool check a connection's life every time it hands one out, not only when it lay idle for over half a
 * second (the pool's default, which it reads from a system property when the pool starts). On a busy instance nearly
 * every connection was used within the last half second, so after the database froze each new request got a
 * connection that looked alive and hung until the socket timeout (15 s); checked, it fails within the validation
 * timeout (1 s). The price is one ping round trip per checkout. An operator may set the property otherwise.
 */
@Component
class ConnectionCheckOnEveryCheckout implements BeanPostProcessor {

    static final String ALIVE_BYPASS_WINDOW = "com.zaxxer.hikari.aliveBypassWindowMs";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource && System.getProperty(ALIVE_BYPASS_WINDOW) == null) {
            System.setProperty(ALIVE_BYPASS_WINDOW, "0");
        }
        return bean;
    }
}
