package dev.patrol.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** PATROL_DATA_DIR moves the whole embedded state: the H2 file (and the key file beside it), not only the root token. */
class DataDirTest {

    @Test
    void theEmbeddedDatabaseLivesInTheDataDir() throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("PATROL_DATA_DIR", "/srv/patrol")));

        assertThat(environment.getProperty("patrol.data-dir")).isEqualTo("/srv/patrol");
        assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:h2:file:/srv/patrol/patrol;");
    }
}
