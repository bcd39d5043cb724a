package dev.patrol.database;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.EXPIRY_NOTIFICATIONS;
import static patrol.jooq.Tables.MEMBERS;
import static patrol.jooq.Tables.NOTIFICATION_OUTBOX;
import static patrol.jooq.Tables.RESOURCES;
import static patrol.jooq.Tables.USERS;

import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.expiry.OutboxMessage;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.owner.UserState;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.TokenType;

/**
 * Columns that hold an enum constant's name are read and written as that enum by the generated tables, while the
 * database keeps the plain name that admins' SQL and the console's scripts compare with.
 */
@PatrolTest
class EnumColumnsTest {

    @Autowired Fixtures fixtures;
    @Autowired DSLContext dsl;

    @Test
    void generatedColumnsCarryTheirEnums() {
        Map<Field<?>, Class<?>> expected = Map.of(ACCESS_TOKENS.TYPE, TokenType.class, USERS.KIND, UserKind.class,
                USERS.STATE, UserState.class, MEMBERS.SOURCE_TYPE, SourceType.class, RESOURCES.KIND,
                ResourceKind.class, NOTIFICATION_OUTBOX.CHANNEL, OutboxMessage.Channel.class,
                NOTIFICATION_OUTBOX.STATE, OutboxMessage.DeliveryState.class, EXPIRY_NOTIFICATIONS.CHANNEL,
                OutboxMessage.Channel.class);
        expected.forEach((column, type) -> assertThat(column.getType()).as(column.getName()).isEqualTo(type));
    }

    @Test
    void theDatabaseStillHoldsTheNames() {
        User user = fixtures.human();
        Group group = fixtures.group();
        fixtures.member(user, group, AccessLevel.DEVELOPER);
        long tokenId = fixtures.pat(user, "read_user").token().id();

        assertThat(dsl.resultQuery("select kind, state from users where id = ?", user.id()).fetchOne().intoList())
                .isEqualTo(List.of("HUMAN", "ACTIVE"));
        assertThat(dsl.resultQuery("select source_type from members where user_id = ?", user.id()).fetchOne(0))
                .isEqualTo("GROUP");
        assertThat(dsl.resultQuery("select type from access_tokens where id = ?", tokenId).fetchOne(0))
                .isEqualTo("PERSONAL");
        assertThat(dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.ID.eq(tokenId)
                .and(ACCESS_TOKENS.TYPE.in(TokenType.where(TokenType::usersPersonalAccessToken))))).isEqualTo(1);
    }
}
