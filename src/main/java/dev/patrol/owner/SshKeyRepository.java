package dev.patrol.owner;

import static patrol.jooq.Tables.SSH_KEYS;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** SSH keys as jOOQ queries; the key type is the first word of the stored public key. */
@Repository
class SshKeyRepository {

    private final DSLContext dsl;

    SshKeyRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    private static SshKey toKey(Record r) {
        String publicKey = r.get(SSH_KEYS.PUBLIC_KEY);
        return new SshKey(r.get(SSH_KEYS.ID), r.get(SSH_KEYS.USER_ID), r.get(SSH_KEYS.TITLE),
                publicKey.substring(0, publicKey.indexOf(' ')), r.get(SSH_KEYS.FINGERPRINT), r.get(SSH_KEYS.CREATED_AT),
                r.get(SSH_KEYS.EXPIRES_AT), r.get(SSH_KEYS.LAST_USED_AT));
    }

    Optional<SshKey> find(long id) {
        return dsl.selectFrom(SSH_KEYS).where(SSH_KEYS.ID.eq(id)).fetchOptional(SshKeyRepository::toKey);
    }

    Map<Long, List<SshKey>> byUsers(Collection<Long> userIds) {
        return dsl.selectFrom(SSH_KEYS).where(SSH_KEYS.USER_ID.in(userIds)).orderBy(SSH_KEYS.USER_ID, SSH_KEYS.ID)
                .fetchGroups(r -> r.get(SSH_KEYS.USER_ID), SshKeyRepository::toKey);
    }

    boolean fingerprintExists(String fingerprint) {
        return dsl.fetchExists(SSH_KEYS, SSH_KEYS.FINGERPRINT.eq(fingerprint));
    }

    long insert(long userId, String title, String publicKey, String fingerprint, LocalDateTime now,
            LocalDate expiresAt) {
        return dsl.insertInto(SSH_KEYS)
                .set(SSH_KEYS.USER_ID, userId)
                .set(SSH_KEYS.TITLE, title)
                .set(SSH_KEYS.PUBLIC_KEY, publicKey)
                .set(SSH_KEYS.FINGERPRINT, fingerprint)
                .set(SSH_KEYS.USAGE_TYPE, "AUTH_AND_SIGNING")
                .set(SSH_KEYS.CREATED_AT, now)
                .set(SSH_KEYS.EXPIRES_AT, expiresAt)
                .returningResult(SSH_KEYS.ID)
                .fetchSingle(SSH_KEYS.ID);
    }

    boolean delete(long id) {
        return dsl.deleteFrom(SSH_KEYS).where(SSH_KEYS.ID.eq(id)).execute() == 1;
    }

}
