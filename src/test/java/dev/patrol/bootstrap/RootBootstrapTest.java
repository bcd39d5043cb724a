package dev.patrol.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import dev.patrol.support.PatrolTest;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenService;

@PatrolTest
class RootBootstrapTest {

    @Autowired TokenService tokens;
    @Value("${patrol.data-dir}") Path dataDir;

    @Test
    void theFirstStartCreatesRootAndWritesItsTokenForTheOwnerOnly() throws Exception {
        Path file = dataDir.resolve("initial_root_token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Authentication auth = tokens.authenticate(Files.readString(file).strip());

        assertThat(auth.succeeded()).isTrue();
        assertThat(auth.user().username()).isEqualTo("root");
        assertThat(auth.user().admin()).isTrue();
    }
}
