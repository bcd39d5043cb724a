package dev.patrol.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.database.TransactionRetry;
import dev.patrol.owner.NewUser;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;

/**
 * On the first start against an empty database, creates the administrator {@code root} and writes its initial
 * token to {@code <data-dir>/initial_root_token} (mode 0600). Only the path is logged.
 */
@Component
@Order(0)
class RootBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(RootBootstrap.class);

    private final OwnerRepository owners;
    private final OwnerService ownerService;
    private final TokenService tokens;
    private final TransactionTemplate transaction;
    private final TransactionRetry retry;
    private final Path dataDir;

    RootBootstrap(OwnerRepository owners, OwnerService ownerService, TokenService tokens,
            TransactionTemplate transaction, TransactionRetry retry, @Value("${patrol.data-dir}") Path dataDir) {
        this.owners = owners;
        this.ownerService = ownerService;
        this.tokens = tokens;
        this.transaction = transaction;
        this.retry = retry;
        this.dataDir = dataDir;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (owners.countUsers() > 0) {
            return;
        }
        IssuedToken issued;
        try {
            // Two instances starting at once on two Galera nodes both find no user: the loser's transaction fails
            // as a deadlock (certification), and its retry finds root there.
            issued = retry.run(() -> transaction.execute(status -> owners.countUsers() > 0 ? null : createRoot()));
        } catch (DuplicateKeyException anotherInstanceWasFirst) {
            return;
        }
        if (issued == null) {
            return;
        }
        Path file = dataDir.resolve("initial_root_token");
        write(file, issued.secret());
        log.info("Created administrator 'root'; its initial token is in {} (readable by this user only)",
                file.toAbsolutePath().normalize());
    }

    private IssuedToken createRoot() {
        User root = ownerService.createUser(Actor.system(),
                new NewUser("root", "Administrator", "admin@example.com", UserKind.HUMAN, true, null));
        return tokens.issue(Actor.system(), NewToken.personal(root.id(), "Initial root token",
                List.of("api", "read_api", "read_user", "sudo", "admin_mode"), null));
    }

    private static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, secret + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the initial root token to " + file, e);
        }
    }
}
