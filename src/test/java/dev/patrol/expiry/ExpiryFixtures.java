package dev.patrol.expiry;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/** Project, group and deploy tokens through the real token service, and a clock set to a chosen day. */
final class ExpiryFixtures {

    private ExpiryFixtures() {
    }

    static void setDay(MutableClock clock, LocalDate day, int hour) {
        clock.set(Instant.from(day.atTime(hour, 0).atOffset(ZoneOffset.UTC)));
    }

    static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    static IssuedToken projectToken(TokenService tokens, Project project, LocalDate expiresAt) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.PROJECT, Fixtures.unique("project-token"), null,
                List.of("api"), expiresAt, null, project.id(), null, null, null, null));
    }

    static IssuedToken groupToken(TokenService tokens, Group group, LocalDate expiresAt) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.GROUP, Fixtures.unique("group-token"), null,
                List.of("read_api"), expiresAt, null, null, group.id(), null, null, null));
    }

    static IssuedToken deployToken(TokenService tokens, Project project, LocalDate expiresAt) {
        return tokens.issue(Actor.system(), new NewToken(TokenType.DEPLOY, Fixtures.unique("deploy-token"), null,
                List.of("read_repository"), expiresAt, null, project.id(), null, null, null, null));
    }
}
