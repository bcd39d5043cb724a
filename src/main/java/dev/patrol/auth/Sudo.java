package dev.patrol.auth;

import java.io.IOException;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.User;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.Scope;

/**
 * {@code Sudo: <username>}: an administrator's token with the {@code sudo} scope makes the request act as that
 * user. Refusals name {@code sudo} as the scope the request needed.
 */
final class Sudo implements Step {

    static final String HEADER = "Sudo";

    private final OwnerRepository owners;

    Sudo(OwnerRepository owners) {
        this.owners = owners;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        String sudo = passage.request.getHeader(HEADER);
        if (sudo == null || sudo.isBlank()) {
            return true;
        }
        if (!passage.token.hasScope(Scope.SUDO)) {
            return refuse(passage, HttpStatus.FORBIDDEN, AuthFailure.INSUFFICIENT_SCOPE.reason(),
                    "The Sudo header needs a token with the sudo scope.");
        }
        if (passage.user == null || !passage.user.admin()) {
            return refuse(passage, HttpStatus.FORBIDDEN, "sudo_not_admin",
                    "Only an administrator's token can use Sudo.");
        }
        String username = sudo.strip();
        Optional<User> target = owners.findUserByUsername(username);
        if (target.isEmpty()) {
            return refuse(passage, HttpStatus.NOT_FOUND, "sudo_user_not_found",
                    "No user is called '" + username + "'.");
        }
        if (target.get().isBlocked()) {
            return refuse(passage, HttpStatus.FORBIDDEN, AuthFailure.USER_BLOCKED.reason(),
                    "The Sudo user is blocked.");
        }
        passage.sudoer = passage.user;
        passage.user = target.get();
        return true;
    }

    private static boolean refuse(Passage passage, HttpStatus status, String reason, String message)
            throws IOException {
        return passage.refuseNeeding(Scope.SUDO.id(), status, reason, message);
    }
}
