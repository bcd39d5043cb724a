package dev.patrol.expiry;

import static dev.patrol.expiry.ExpiryFixtures.setDay;
import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.MEMBERS;
import static patrol.jooq.Tables.USERS;

import java.time.LocalDate;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.AccessToken;
import dev.patrol.token.IssuedToken;
import dev.patrol.token.TokenService;

@PatrolTest
class RetentionTest {

    @Autowired RetentionService retention;
    @Autowired TokenService tokens;
    @Autowired Fixtures fixtures;
    @Autowired MutableClock clock;
    @Autowired DSLContext dsl;

    @Test
    void inactiveProjectAndGroupTokensArePurgedWithTheirBotsAfterThirtyDays() {
        LocalDate today = LocalDate.of(2033, 1, 10);
        setDay(clock, today.minusDays(40), 12);
        Group group = fixtures.group();
        Project project = fixtures.project(group);

        AccessToken rotated = ExpiryFixtures.projectToken(tokens, project, today.plusDays(100)).token();
        AccessToken successor = tokens.rotate(Actor.system(), rotated.id(), today.plusDays(100)).token();
        AccessToken revoked = ExpiryFixtures.projectToken(tokens, project, today.plusDays(100)).token();
        tokens.revoke(Actor.system(), revoked.id());
        AccessToken expired = ExpiryFixtures.groupToken(tokens, group, today.minusDays(30)).token();
        AccessToken recentlyRevoked = ExpiryFixtures.projectToken(tokens, project, today.plusDays(100)).token();
        AccessToken recentlyExpired = ExpiryFixtures.groupToken(tokens, group, today.minusDays(29)).token();
        User user = fixtures.human();
        IssuedToken personal = fixtures.pat(user, today.plusDays(100), "api");
        tokens.revoke(Actor.system(), personal.token().id());
        setDay(clock, today.minusDays(29), 12);
        tokens.revoke(Actor.system(), recentlyRevoked.id());

        setDay(clock, today, 3);
        int purged = retention.purgeInactive();

        assertThat(purged).isGreaterThanOrEqualTo(3);
        assertThat(exists(rotated)).isFalse();
        assertThat(exists(revoked)).isFalse();
        assertThat(exists(expired)).isFalse();
        assertThat(exists(successor)).isTrue();
        assertThat(exists(recentlyRevoked)).isTrue();
        assertThat(exists(recentlyExpired)).isTrue();
        assertThat(exists(personal.token())).isTrue();
        // the rotated token's bot still holds the successor; the others' bots and memberships are gone
        assertThat(dsl.fetchExists(USERS, USERS.ID.eq(successor.userId()))).isTrue();
        assertThat(dsl.fetchExists(USERS, USERS.ID.in(revoked.userId(), expired.userId()))).isFalse();
        assertThat(dsl.fetchExists(MEMBERS, MEMBERS.USER_ID.in(revoked.userId(), expired.userId()))).isFalse();
        assertThat(dsl.fetchExists(MEMBERS, MEMBERS.USER_ID.eq(successor.userId()))).isTrue();
        assertThat(dsl.select(AUDIT_EVENTS.DETAILS).from(AUDIT_EVENTS)
                .where(AUDIT_EVENTS.ACTION.eq("inactive_tokens_purged")).fetch(AUDIT_EVENTS.DETAILS))
                .anySatisfy(details -> assertThat(details).contains(String.valueOf(rotated.id()),
                        String.valueOf(revoked.id()), String.valueOf(expired.id())));

        assertThat(retention.purgeInactive()).isZero();
        setDay(clock, today.plusDays(1), 3);
        retention.purgeInactive();
        assertThat(exists(recentlyExpired)).isFalse();
        assertThat(exists(recentlyRevoked)).isTrue();
        setDay(clock, today.plusDays(1), 12);
        retention.purgeInactive();
        assertThat(exists(recentlyRevoked)).isFalse();
    }

    private boolean exists(AccessToken token) {
        return dsl.fetchExists(ACCESS_TOKENS, ACCESS_TOKENS.ID.eq(token.id()));
    }
}
