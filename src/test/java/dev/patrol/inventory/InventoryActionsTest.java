package dev.patrol.inventory;

import static dev.patrol.inventory.CredentialsInventoryTest.TODAY;
import static dev.patrol.inventory.CredentialsInventoryTest.assertCode;
import static dev.patrol.inventory.FilterBuilder.filter;
import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;
import static patrol.jooq.Tables.AUDIT_EVENTS;
import static patrol.jooq.Tables.NOTIFICATION_OUTBOX;
import static patrol.jooq.Tables.SSH_KEYS;

import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import dev.patrol.inventory.CredentialActionTaken.Action;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.shared.ErrorCode;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.TokenService;

@PatrolTest
@RecordApplicationEvents
class InventoryActionsTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;
    @Autowired InventoryService inventory;
    @Autowired InventorySshKeys sshKeys;
    @Autowired DSLContext dsl;
    @Autowired MutableClock clock;
    @Autowired ApplicationEvents events;

    InventoryEstate estate;
    Actor owner;

    @BeforeEach
    void estate() {
        clock.set(TestConfig.START);
        estate = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        owner = fixtures.actor(estate.owner);
    }

    @Test
    void aGroupOwnerRevokesAnEnterpriseUsersTokenAndTheOwnerIsNotified() {
        var result = inventory.revoke(owner, InventoryEstate.gid(estate.enterprisePat));

        assertThat(result.errors()).isEmpty();
        assertThat(result.credential().state()).isEqualTo(CredentialState.REVOKED);
        assertThat(events.stream(CredentialActionTaken.class)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Action.REVOKED);
            assertThat(e.ownerUserId()).isEqualTo(estate.enterprise.id());
            assertThat(e.credential().id()).isEqualTo(estate.enterprisePat.token().id());
        });
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_revoked"),
                AUDIT_EVENTS.TARGET_ID.eq(estate.enterprisePat.token().id()),
                AUDIT_EVENTS.ACTOR_ID.eq(estate.owner.id()))).isEqualTo(1);
        assertThat(dsl.fetchCount(NOTIFICATION_OUTBOX, NOTIFICATION_OUTBOX.KIND.eq("credential_revoked"),
                NOTIFICATION_OUTBOX.USER_ID.eq(estate.enterprise.id()))).isEqualTo(1);

        var again = inventory.revoke(owner, InventoryEstate.gid(estate.enterprisePat));
        assertThat(again.errors()).singleElement().asString().contains("already revoked");
        assertThat(events.stream(CredentialActionTaken.class)).hasSize(1);
    }

    @Test
    void anOwnerOfAnotherGroupCannotRevoke() {
        InventoryEstate other = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        assertCode(() -> inventory.revoke(fixtures.actor(other.owner), InventoryEstate.gid(estate.enterprisePat)),
                ErrorCode.FORBIDDEN);
        assertThat(dsl.fetchValue(ACCESS_TOKENS.REVOKED_AT, ACCESS_TOKENS.ID.eq(estate.enterprisePat.token().id())))
                .isNull();
        assertThat(events.stream(CredentialActionTaken.class)).isEmpty();
    }

    @Test
    void rotatingFromTheInventoryIssuesASuccessorOverGraphQl() {
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        var response = tester.document("""
                        mutation($id: ID!) { credentialRotate(input: {id: $id}) {
                          token credential { id name state expiresAt } errors } }""")
                .variable("id", InventoryEstate.gid(estate.serviceAccountPat)).execute();
        response.path("credentialRotate.token").entity(String.class).satisfies(t -> assertThat(t).startsWith("glpat-"));
        response.path("credentialRotate.credential.name").entity(String.class).isEqualTo("deployer");
        response.path("credentialRotate.credential.expiresAt").entity(String.class)
                .isEqualTo(TODAY.plusDays(7).toString());
        assertThat(dsl.fetchValue(ACCESS_TOKENS.REVOKE_REASON,
                ACCESS_TOKENS.ID.eq(estate.serviceAccountPat.token().id()))).isEqualTo("rotated");
    }

    @Test
    void deletingAnSshKeyAuditsAndNotifiesItsOwner() {
        InventoryCredential key = sshKeys.delete(owner, "gid://patrol/SshKey/" + estate.sshKey);

        assertThat(key.name()).isEqualTo("enterprise laptop key");
        assertThat(dsl.fetchExists(SSH_KEYS, SSH_KEYS.ID.eq(estate.sshKey))).isFalse();
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("ssh_key_deleted"),
                AUDIT_EVENTS.TARGET_ID.eq(estate.sshKey))).isEqualTo(1);
        assertThat(events.stream(CredentialActionTaken.class)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Action.SSH_KEY_DELETED);
            assertThat(e.ownerUserId()).isEqualTo(estate.enterprise.id());
        });
    }

    @Test
    void aStrangerCannotDeleteAnSshKeyAndBadIdsAreRefused() {
        assertCode(() -> sshKeys.delete(fixtures.actor(fixtures.human()), "gid://patrol/SshKey/" + estate.sshKey),
                ErrorCode.FORBIDDEN);
        assertCode(() -> sshKeys.delete(owner, InventoryEstate.gid(estate.enterprisePat)), ErrorCode.BAD_USER_INPUT);
        assertCode(() -> inventory.revoke(owner, "gid://patrol/SshKey/" + estate.sshKey), ErrorCode.BAD_USER_INPUT);
        assertThat(dsl.fetchExists(SSH_KEYS, SSH_KEYS.ID.eq(estate.sshKey))).isTrue();
    }

    // bulk revoke

    @Test
    void bulkRevokePreviewsExactlyWhatTheConfirmedCallRevokes() {
        HttpGraphQlTester tester = InventoryEstate.tester(port, estate.ownerToken);
        String mutation = """
                mutation($path: String, $dry: Boolean!, $confirmation: String) {
                  credentialsBulkRevoke(input: {groupPath: $path, filter: {ownerKinds: [HUMAN, SERVICE_ACCOUNT]},
                                                dryRun: $dry, confirmation: $confirmation}) {
                    dryRun count confirmation revokedCount credentials { id name } errors
                  }
                }""";
        var preview = tester.document(mutation).variable("path", estate.group.fullPath()).variable("dry", true)
                .execute();
        preview.path("credentialsBulkRevoke.count").entity(Integer.class).isEqualTo(3);
        preview.path("credentialsBulkRevoke.credentials[*].id").entityList(String.class)
                .containsExactly(InventoryEstate.gid(estate.enterprisePat), InventoryEstate.gid(estate.enterpriseReadPat),
                        InventoryEstate.gid(estate.serviceAccountPat));
        preview.path("credentialsBulkRevoke.revokedCount").entity(Integer.class).isEqualTo(0);
        String confirmation = preview.path("credentialsBulkRevoke.confirmation").entity(String.class).get();
        assertThat(activeIn(estate)).isEqualTo(6);

        var done = tester.document(mutation).variable("path", estate.group.fullPath()).variable("dry", false)
                .variable("confirmation", confirmation).execute();
        done.path("credentialsBulkRevoke.revokedCount").entity(Integer.class).isEqualTo(3);
        assertThat(activeIn(estate)).isEqualTo(3);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("token_revoked"),
                AUDIT_EVENTS.ACTOR_ID.eq(estate.owner.id()))).isEqualTo(3);
    }

    @Test
    void aTokenRevokedInBulkStopsAuthenticatingAtOnceEvenWhenCached() {
        ApiHttp http = ApiHttp.from127(port, 91);
        String secret = estate.serviceAccountPat.secret();
        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", secret).statusCode()).isEqualTo(200);
        InventoryFilter serviceAccounts = filter().ownerKinds(UserKind.SERVICE_ACCOUNT).build();
        var preview = inventory.bulkRevoke(owner, estate.group.fullPath(), serviceAccounts, true, null);

        inventory.bulkRevoke(owner, estate.group.fullPath(), serviceAccounts, false, preview.confirmation());

        assertThat(http.graphql("{ currentUser { id } }", "PRIVATE-TOKEN", secret).statusCode()).isEqualTo(401);
    }

    @Test
    void aChangedEstateBetweenPreviewAndActIsAConflictAndRevokesNothing() {
        InventoryFilter humans = filter().ownerKinds(UserKind.HUMAN).build();
        var preview = inventory.bulkRevoke(owner, estate.group.fullPath(), humans, true, null);
        assertThat(preview.credentials()).hasSize(2);

        tokens.issue(Actor.system(), dev.patrol.token.NewToken.personal(estate.enterprise.id(), "new since preview",
                List.of("read_api"), TODAY.plusDays(3)));

        assertCode(() -> inventory.bulkRevoke(owner, estate.group.fullPath(), humans, false, preview.confirmation()),
                ErrorCode.CONFLICT);
        assertThat(activeIn(estate)).isEqualTo(7);
        assertThat(events.stream(CredentialActionTaken.class)).isEmpty();
    }

    @Test
    void theRealCallNeedsAConfirmationForTheSameFilter() {
        InventoryFilter humans = filter().ownerKinds(UserKind.HUMAN).build();
        var preview = inventory.bulkRevoke(owner, estate.group.fullPath(), humans, true, null);
        assertCode(() -> inventory.bulkRevoke(owner, estate.group.fullPath(), humans, false, null),
                ErrorCode.BAD_USER_INPUT);
        assertCode(() -> inventory.bulkRevoke(owner, estate.group.fullPath(), filter().types("DEPLOY").build(), false,
                preview.confirmation()), ErrorCode.CONFLICT);
        assertThat(activeIn(estate)).isEqualTo(6);
    }

    @Test
    void aGroupOwnerCannotBulkRevokeElsewhere() {
        InventoryEstate other = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
        assertCode(() -> inventory.bulkRevoke(owner, other.group.fullPath(), null, true, null), ErrorCode.FORBIDDEN);
        assertCode(() -> inventory.bulkRevoke(owner, null, null, true, null), ErrorCode.FORBIDDEN);
    }

    /** Unrevoked tokens of the estate's group inventory. */
    private int activeIn(InventoryEstate e) {
        return dsl.fetchCount(ACCESS_TOKENS, ACCESS_TOKENS.ROOT_GROUP_ID.eq(e.group.id()),
                ACCESS_TOKENS.REVOKED_AT.isNull());
    }
}
