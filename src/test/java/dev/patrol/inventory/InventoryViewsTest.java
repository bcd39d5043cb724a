package dev.patrol.inventory;

import static dev.patrol.inventory.CredentialsInventoryTest.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.OwnerService;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.TokenService;

/** The analyst views, queried with plain SQL as a BI tool would. */
@PatrolTest
class InventoryViewsTest {

    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;
    @Autowired DSLContext dsl;
    @Autowired MutableClock clock;

    InventoryEstate estate;

    @BeforeEach
    void estate() {
        clock.set(TestConfig.START);
        estate = new InventoryEstate(fixtures, owners, tokens, dsl, TODAY);
    }

    @Test
    void inventoryCredentialsHasOneReadableRowPerCredential() {
        tokens.revoke(Actor.system(), estate.enterpriseReadPat.token().id());
        var rows = dsl.resultQuery("""
                SELECT kind, type, name, owner_username, owner_kind, project_path, state
                FROM inventory_credentials WHERE root_group_id = ? ORDER BY kind, name""", estate.group.id()).fetch();

        assertThat(rows).hasSize(7);
        assertThat(rows.getValues("name", String.class)).containsExactly("ci", "deploy", "deployer", "group-bot",
                "laptop, \"home\"", "reader", "enterprise laptop key");
        var ci = rows.getFirst();
        assertThat(ci.get("type", String.class)).isEqualTo("PROJECT");
        assertThat(ci.get("owner_kind", String.class)).isEqualTo("PROJECT_BOT");
        assertThat(ci.get("project_path", String.class)).isEqualTo(estate.project.fullPath());
        assertThat(rows.get(5).get("state", String.class)).isEqualTo("REVOKED");
        assertThat(rows.get(6).get("kind", String.class)).isEqualTo("SSH_KEY");
        assertThat(rows.get(6).get("owner_username", String.class)).isEqualTo(estate.enterprise.username());
    }

    @Test
    void scopesAndAddressesHaveViewsOfTheirOwn() {
        estate.used(estate.enterprisePat, java.time.LocalDateTime.of(2026, 3, 9, 10, 0), "10.1.2.3");
        List<String> scopes = dsl.resultQuery("""
                SELECT s.scope FROM inventory_credential_scopes s
                JOIN inventory_credentials c ON c.kind = 'ACCESS_TOKEN' AND c.credential_id = s.credential_id
                WHERE c.credential_id = ? ORDER BY s.scope""", estate.enterprisePat.token().id())
                .fetch(0, String.class);
        assertThat(scopes).containsExactly("api", "write_repository");
        List<Map<String, Object>> ips = dsl.resultQuery(
                "SELECT ip FROM inventory_credential_ips WHERE credential_id = ?", estate.enterprisePat.token().id())
                .fetchMaps();
        assertThat(ips).singleElement().satisfies(r -> assertThat(r.get("ip")).isEqualTo("10.1.2.3"));
    }
}
