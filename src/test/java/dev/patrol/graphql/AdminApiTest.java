package dev.patrol.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.AUDIT_EVENTS;

import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.IssuedToken;

/** Instance settings, audit events, token look-up and the token type registry through the API. */
@PatrolTest
class AdminApiTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired SettingsService settings;
    @Autowired DSLContext dsl;

    @AfterEach
    void restoreSettings() {
        settings.update(Actor.system(), new SettingsChange(365, true, true));
    }

    private HttpGraphQlTester as(User user) {
        return GraphQlClients.as(port, fixtures.pat(user, "api"));
    }

    private static void expectCode(GraphQlTester.Response response, String code) {
        response.errors().expect(e -> code.equals(e.getExtensions().get("code"))).verify();
    }

    @Test
    void adminsReadAndChangeInstanceSettings() {
        HttpGraphQlTester admin = as(fixtures.admin());
        // language=GraphQL
        String read = "{ instanceSettings { maxLifetimeDays requireExpiration impersonationEnabled } }";
        // language=GraphQL
        String update = """
                mutation($days: Int) {
                  instanceSettingsUpdate(input: {maxLifetimeDays: $days, impersonationEnabled: false}) {
                    errors instanceSettings { maxLifetimeDays requireExpiration impersonationEnabled }
                  }
                }""";
        admin.document(read).execute().path("instanceSettings.maxLifetimeDays").entity(Integer.class).isEqualTo(365);
        expectCode(as(fixtures.human()).document(read).execute(), "FORBIDDEN");
        expectCode(as(fixtures.human()).document(update).variable("days", 30).execute(), "FORBIDDEN");

        int events = dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("settings_updated"));
        admin.document(update).variable("days", 0).execute()
                .path("instanceSettingsUpdate.instanceSettings").valueIsNull()
                .path("instanceSettingsUpdate.errors").entityList(String.class).hasSize(1);
        assertThat(settings.current().impersonationEnabled()).isTrue();
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("settings_updated"))).isEqualTo(events);

        admin.document(update).variable("days", 90).execute()
                .path("instanceSettingsUpdate.instanceSettings.maxLifetimeDays").entity(Integer.class).isEqualTo(90)
                .path("instanceSettingsUpdate.instanceSettings.impersonationEnabled").entity(Boolean.class).isEqualTo(false)
                .path("instanceSettingsUpdate.instanceSettings.requireExpiration").entity(Boolean.class).isEqualTo(true);
        assertThat(dsl.fetchCount(AUDIT_EVENTS, AUDIT_EVENTS.ACTION.eq("settings_updated"))).isEqualTo(events + 1);
    }

    @Test
    void adminsReadAllAuditEventsAndGroupOwnersTheirGroups() {
        Group group = fixtures.group();
        Group sub = fixtures.subgroup(group);
        Project project = fixtures.project(sub);
        User owner = fixtures.human();
        User maintainer = fixtures.human();
        fixtures.member(owner, group, AccessLevel.OWNER);
        fixtures.member(maintainer, group, AccessLevel.MAINTAINER);
        HttpGraphQlTester ownerApi = as(owner);
        // language=GraphQL
        String create = """
                mutation($p: ID!, $n: String!) {
                  projectAccessTokenCreate(input: {projectId: $p, name: $n, scopes: ["read_api"]}) { accessToken { id } }
                }""";
        List<String> tokenIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tokenIds.add(ownerApi.document(create).variable("p", "gid://patrol/Project/" + project.id())
                    .variable("n", "audited-" + i).execute()
                    .path("projectAccessTokenCreate.accessToken.id").entity(String.class).get());
        }
        // language=GraphQL
        String events = """
                query($filter: AuditEventFilter, $first: Int, $after: String) {
                  auditEvents(filter: $filter, first: $first, after: $after) {
                    nodes { id action targetId targetName actorName actor { username } source ip details createdAt }
                    pageInfo { hasNextPage endCursor }
                  }
                }""";
        var filter = java.util.Map.of("groupPath", sub.fullPath(), "action", "token_created");
        List<String> targets = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            GraphQlTester.Response page = ownerApi.document(events).variable("filter", filter).variable("first", 1)
                    .variable("after", after).execute();
            page.path("auditEvents.nodes[0].actor.username").entity(String.class).isEqualTo(owner.username())
                    .path("auditEvents.nodes[0].source").entity(String.class).isEqualTo("api");
            targets.addAll(page.path("auditEvents.nodes[*].targetId").entityList(String.class).get());
            more = page.path("auditEvents.pageInfo.hasNextPage").entity(Boolean.class).get();
            after = page.path("auditEvents.pageInfo.endCursor").entity(String.class).get();
        }
        assertThat(targets).isEqualTo(tokenIds.reversed());

        as(fixtures.admin()).document(events)
                .variable("filter", java.util.Map.of("targetId", tokenIds.getFirst())).execute()
                .path("auditEvents.nodes[*].action").entityList(String.class).containsExactly("token_created");
        expectCode(as(maintainer).document(events).variable("filter", java.util.Map.of("groupPath", group.fullPath()))
                .execute(), "FORBIDDEN");
        expectCode(ownerApi.document(events).execute(), "FORBIDDEN");
    }

    @Test
    void tokenLookupTellsAdminsWhoOwnsALeakedValueWithoutSecrets() {
        User user = fixtures.human();
        IssuedToken leaked = fixtures.pat(user, "api", "read_user");
        // language=GraphQL
        String doc = """
                query($t: String!) {
                  tokenLookup(token: $t) { wellFormed accessToken { id type active scopes displayPrefix owner { username } } }
                }""";
        GraphQlTester.Response response = as(fixtures.admin()).document(doc).variable("t", leaked.secret()).execute();
        response.path("tokenLookup.wellFormed").entity(Boolean.class).isEqualTo(true)
                .path("tokenLookup.accessToken.id").entity(String.class).isEqualTo("gid://patrol/" + leaked.token().reference())
                .path("tokenLookup.accessToken.owner.username").entity(String.class).isEqualTo(user.username())
                .path("tokenLookup.accessToken.scopes").entityList(String.class).containsExactly("api", "read_user");
        assertThat(response.returnResponse().toMap().toString()).doesNotContain(leaked.secret());

        as(fixtures.admin()).document(doc).variable("t", "glpat-nothing-like-a-token").execute()
                .path("tokenLookup.wellFormed").entity(Boolean.class).isEqualTo(false)
                .path("tokenLookup.accessToken").valueIsNull();
        expectCode(as(user).document(doc).variable("t", leaked.secret()).execute(), "FORBIDDEN");
    }

    @Test
    void tokenTypesAndScopesDescribeTheRegistry() {
        HttpGraphQlTester tester = as(fixtures.human());
        tester.document("""
                { tokenTypes { type prefix description label allowedScopes { name } expires expiryRule rotatable resettable
                               apiAccess onePerHolder hasRole managerRole holder } }""").execute()
                .path("tokenTypes[*].type").entityList(String.class).hasSize(15).contains("PERSONAL", "DEPLOY", "SCIM")
                .path("tokenTypes[?(@.type == 'DEPLOY')].prefix").entityList(String.class).containsExactly("gldt-")
                .path("tokenTypes[?(@.type == 'DEPLOY')].apiAccess").entityList(Boolean.class).containsExactly(false)
                .path("tokenTypes[?(@.type == 'FEED')].resettable").entityList(Boolean.class).containsExactly(true)
                .path("tokenTypes[?(@.type == 'PERSONAL')].rotatable").entityList(Boolean.class).containsExactly(true);
        tester.document("{ scopes(tokenType: DEPLOY) { name description adminOnly } }").execute()
                .path("scopes[*].name").entityList(String.class)
                .containsExactly("read_repository", "read_registry", "write_registry", "read_package_registry",
                        "write_package_registry");
        tester.document("{ scopes { name adminOnly } }").execute()
                .path("scopes[?(@.adminOnly == true)].name").entityList(String.class)
                .containsExactly("sudo", "admin_mode", "read_service_ping");
        tester.document("{ scopes(tokenType: PERSONAL) { name adminOrServiceAccountOnly } }").execute()
                .path("scopes[?(@.adminOrServiceAccountOnly == true)].name").entityList(String.class)
                .containsExactly("introspect");
        tester.document("{ scopes(tokenType: IMPERSONATION) { name } }").execute()
                .path("scopes[*].name").entityList(String.class).doesNotContain("introspect");
    }
}
