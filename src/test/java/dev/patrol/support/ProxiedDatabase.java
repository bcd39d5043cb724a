package dev.patrol.support;

import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.tools.Server;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * A {@link TestDatabase} reached through a {@link TcpProxy} (registered as a bean), so a test can take the database
 * away from a running Patrol. Instead of the in-memory H2, H2's TCP server serves a file database under target/
 * (an in-memory one did not survive its connections being cut); a MySQL or MariaDB server is proxied where it
 * listens.
 */
public class ProxiedDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Pattern MYSQL_HOST = Pattern.compile("^jdbc:mysql://([^/:]+)(?::(\\d+))?/");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        new TestDatabase().initialize(context);
        String url = context.getEnvironment().getRequiredProperty("spring.datasource.url");
        TcpProxy proxy;
        String proxied;
        Server h2 = null;
        if (url.startsWith("jdbc:h2:mem:")) {
            try {
                h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", "target/h2-outage").start();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not start H2's TCP server", e);
            }
            proxy = new TcpProxy("127.0.0.1", h2.getPort());
            proxied = "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/./" + url.substring("jdbc:h2:mem:".length())
                    .replace(";DB_CLOSE_DELAY=-1", "");
        } else {
            Matcher server = MYSQL_HOST.matcher(url);
            if (!server.find()) {
                throw new IllegalStateException("Cannot proxy " + url);
            }
            proxy = new TcpProxy(server.group(1), server.group(2) == null ? 3306 : Integer.parseInt(server.group(2)));
            proxied = server.replaceFirst("jdbc:mysql://127.0.0.1:" + proxy.port() + "/");
        }
        context.getBeanFactory().registerSingleton("databaseProxy", proxy);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("proxiedDatabase",
                Map.of("spring.datasource.url", proxied)));
        Server started = h2;
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                proxy.close();
                if (started != null) {
                    started.stop();
                }
            }
        });
    }
}
