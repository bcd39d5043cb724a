package dev.patrol.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.execution.GraphQlSource;

import dev.patrol.owner.Group;
import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.settings.SettingsChange;
import dev.patrol.settings.SettingsService;
import dev.patrol.shared.Actor;
import dev.patrol.shared.GlobalId;
import dev.patrol.support.ApiHttp;
import dev.patrol.support.Fixtures;
import dev.patrol.support.MutableClock;
import dev.patrol.support.PatrolTest;
import dev.patrol.support.TestConfig;
import dev.patrol.token.IssuedToken;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLTypeUtil;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Input the API cannot use is refused with BAD_USER_INPUT and a plain, short message; nothing is reinterpreted. */
@PatrolTest
class BadInputTest {

    /**
     * Where each field with a defaulted argument can be reached: {@code %s} stands for the field with its
     * arguments, {@code GROUP} and {@code PROJECT} for paths the test creates. A new defaulted argument fails
     * {@link #anExplicitNullMeansTheDocumentedDefaultForEveryDefaultedArgument} until it is added here.
     */
    private static final Map<String, String> REACH = Map.ofEntries(
            Map.entry("Query.accessTokens", "{ %s { nodes { id } } }"),
            Map.entry("Query.credentialsInventory", "{ %s { count nodes { id } } }"),
            Map.entry("Query.overPrivilegedTokens", "{ %s { credential { id } suggestedScopes } }"),
            Map.entry("InventoryStats.expiryHistogram", "{ inventoryStats { %s { date count } } }"),
            Map.entry("InventoryStats.expiringWithin", "{ inventoryStats { %s } }"),
            Map.entry("InventoryStats.unusedFor", "{ inventoryStats { %s } }"),
            Map.entry("User.personalAccessTokens", "{ currentUser { %s { nodes { id } } } }"),
            Map.entry("Group.accessTokens", "{ group(fullPath: \"GROUP\") { %s { nodes { id } } } }"),
            Map.entry("Group.deployTokens", "{ group(fullPath: \"GROUP\") { %s { nodes { id } } } }"),
            Map.entry("Project.accessTokens", "{ project(fullPath: \"PROJECT\") { %s { nodes { id } } } }"),
            Map.entry("Project.deployTokens", "{ project(fullPath: \"PROJECT\") { %s { nodes { id } } } }"));

    /** Arguments a field needs besides the defaulted one. */
    private static final Map<String, String> REQUIRED = Map.of(
            "InventoryStats.expiryHistogram", "from: \"2026-01-01\", to: \"2027-12-31\"");

    /**
     * A mutation that reaches each defaulted input field ({@code %s} stands for the field set to null), and what
     * its response shows when the default applied.
     */
    private static final Map<String, List<String>> INPUT_REACH = Map.of(
            "UserCreateInput.admin", List.of(
                    "mutation { userCreate(input: {username: \"USERNAME\", %s}) { errors user { admin } } }",
                    "admin=false"));

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired SettingsService settings;
    @Autowired MutableClock clock;
    @Autowired GraphQlSource graphQlSource;
    @Autowired DSLContext dsl;
    @Autowired JsonMapper json;

    User admin;
    IssuedToken adminToken;
    Group group;
    Project project;

    @BeforeEach
    void setUp() {
        clock.set(TestConfig.START);
        settings.update(Actor.system(), new SettingsChange(365, true, true));
        admin = fixtures.admin();
        adminToken = fixtures.pat(admin, "api");
        group = fixtures.group();
        project = fixtures.project(group);
        fixtures.pat(admin, LocalDate.of(2026, 3, 20), "read_api");
    }

    // explicit null

    @Test
    void anExplicitNullMeansTheDocumentedDefaultForEveryDefaultedArgument() {
        List<String> unreached = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (GraphQLNamedType type : graphQlSource.schema().getAllTypesAsList()) {
            if (type.getName().startsWith("__") || !(type instanceof GraphQLObjectType object)) {
                continue;
            }
            for (GraphQLFieldDefinition field : object.getFieldDefinitions()) {
                for (GraphQLArgument argument : field.getArguments()) {
                    if (!argument.hasSetDefaultValue()) {
                        continue;
                    }
                    String key = type.getName() + "." + field.getName();
                    String template = REACH.get(key);
                    if (template == null) {
                        unreached.add(key + "(" + argument.getName() + ")");
                        continue;
                    }
                    String required = REQUIRED.getOrDefault(key, "");
                    String omitted = required.isEmpty() ? field.getName() : field.getName() + "(" + required + ")";
                    String explicitNull = field.getName() + "(" + argument.getName() + ": null"
                            + (required.isEmpty() ? "" : ", " + required) + ")";
                    Map<String, Object> expected = post(withPaths(template).formatted(omitted), Map.of());
                    assertThat(expected).as(key).doesNotContainKey("errors");

                    assertThat(post(withPaths(template).formatted(explicitNull), Map.of()))
                            .as(key + " with " + argument.getName() + ": null").isEqualTo(expected);
                    String type1 = GraphQLTypeUtil.simplePrint(argument.getType());
                    String viaVariable = "query($v: " + type1 + ") " + withPaths(template).formatted(
                            explicitNull.replace(argument.getName() + ": null", argument.getName() + ": $v"));
                    Map<String, Object> nullVariable = new LinkedHashMap<>();
                    nullVariable.put("v", null);
                    assertThat(post(viaVariable, nullVariable)).as(key + " with $v = null").isEqualTo(expected);
                    checked.add(key + "(" + argument.getName() + ")");
                }
            }
        }
        assertThat(unreached).as("defaulted arguments without an entry in REACH").isEmpty();
        assertThat(checked).contains("InventoryStats.expiringWithin(days)", "Query.overPrivilegedTokens(windowDays)");
    }

    @Test
    void anExplicitNullMeansTheDocumentedDefaultForEveryDefaultedInputField() {
        List<String> checked = new ArrayList<>();
        for (GraphQLNamedType type : graphQlSource.schema().getAllTypesAsList()) {
            if (type.getName().startsWith("__") || !(type instanceof GraphQLInputObjectType input)) {
                continue;
            }
            for (GraphQLInputObjectField field : input.getFieldDefinitions()) {
                if (!field.hasSetDefaultValue()) {
                    continue;
                }
                String key = type.getName() + "." + field.getName();
                assertThat(INPUT_REACH).as("defaulted input fields without an entry in INPUT_REACH").containsKey(key);
                String username = Fixtures.unique("nulldefault");
                Map<String, Object> response = post(INPUT_REACH.get(key).getFirst().replace("USERNAME", username)
                        .formatted(field.getName() + ": null"), Map.of());
                assertThat(response).as(key).doesNotContainKey("errors");
                assertThat(response.toString()).as(key).contains("errors=[]", INPUT_REACH.get(key).getLast());
                checked.add(key);
            }
        }
        assertThat(checked).containsExactly("UserCreateInput.admin");
    }

    // dates

    @Test
    void datesAfter9999AreRefusedOnEveryCreatePath() {
        int before = dsl.fetchCount(ACCESS_TOKENS);

        Map<String, Object> deploy = post("""
                mutation { deployTokenCreate(input: {projectId: "%s", name: "far", scopes: ["read_repository"],
                  expiresAt: "+10000-01-01"}) { token errors } }""".formatted(GlobalId.of("Project", project.id())),
                Map.of());
        Map<String, Object> any = post("""
                mutation($d: Date) { accessTokenCreate(input: {type: PERSONAL, name: "far", scopes: ["api"],
                  expiresAt: $d}) { token errors } }""", Map.of("d", "+10000-01-01"));

        assertBadInput(deploy, "+10000-01-01");
        assertBadInput(any, "+10000-01-01");
        assertThat(dsl.fetchCount(ACCESS_TOKENS)).isEqualTo(before);
    }

    @Test
    void datesAndTimesOutside1970To9999AreRefusedInFilters() {
        assertBadInput(post("{ accessTokens(filter: {expiresAfter: \"1969-12-31\"}) { nodes { id } } }", Map.of()),
                "1969-12-31");
        assertBadInput(post("query($t: Time) { accessTokens(filter: {createdAfter: $t}) { nodes { id } } }",
                Map.of("t", "+10000-01-01T00:00:00Z")), "+10000-01-01T00:00:00Z");
        assertBadInput(post("{ credentialsInventory(filter: {lastUsedBefore: \"1969-12-31T23:59:59Z\"}) { count } }",
                Map.of()), "1969-12-31T23:59:59Z");
        assertThat(post("{ accessTokens(filter: {expiresAfter: \"1970-01-01\", expiresBefore: \"9999-12-31\","
                + " createdAfter: \"1970-01-01T00:00:00Z\"}) { nodes { id } } }", Map.of()))
                .doesNotContainKey("errors");
    }

    @Test
    void impossibleDatesAreRefusedNotRoundedOnCreateRotateExtendAndInFilters() {
        IssuedToken token = fixtures.pat(admin, LocalDate.of(2026, 6, 1), "api");
        String id = GlobalId.of("PersonalAccessToken", token.token().id());
        int before = dsl.fetchCount(ACCESS_TOKENS);

        assertBadInput(post("""
                mutation { personalAccessTokenCreate(input: {name: "feb", scopes: ["api"], expiresAt: "2027-02-30"}) {
                  token errors } }""", Map.of()), "2027-02-30");
        assertBadInput(post("""
                mutation($d: Date) { accessTokenRotate(input: {id: "%s", expiresAt: $d}) { token errors } }"""
                .formatted(id), Map.of("d", "2027-02-30")), "2027-02-30");
        assertBadInput(post("""
                mutation($input: PersonalAccessTokenCreateInput!) { personalAccessTokenCreate(input: $input) {
                  token errors } }""", Map.of("input", Map.of("name", "feb", "scopes", List.of("api"),
                "expiresAt", "2027-02-30"))), "2027-02-30");
        assertBadInput(post("""
                mutation { accessTokenExtend(input: {id: "%s", expiresAt: "2027-02-30"}) { errors } }"""
                .formatted(id), Map.of()), "2027-02-30");
        assertBadInput(post("{ accessTokens(filter: {expiresBefore: \"2027-04-31\"}) { nodes { id } } }", Map.of()),
                "2027-04-31");
        assertBadInput(post("query($d: Date) { credentialsInventory(filter: {expiresAfter: $d}) { count } }",
                Map.of("d", "2027-04-31")), "2027-04-31");

        assertThat(dsl.fetchCount(ACCESS_TOKENS)).isEqualTo(before);
        assertThat(dsl.fetchValue(ACCESS_TOKENS.EXPIRES_AT, ACCESS_TOKENS.ID.eq(token.token().id())))
                .isEqualTo(LocalDate.of(2026, 6, 1));
        assertThat(post("""
                mutation { accessTokenExtend(input: {id: "%s", expiresAt: "2027-02-28"}) { errors
                  accessToken { expiresAt } } }""".formatted(id), Map.of()).toString())
                .contains("expiresAt=2027-02-28");
    }

    @Test
    void dayCountsBeyondTenYearsAreRefused() {
        assertBadInput(post("{ inventoryStats { expiringWithin(days: 2147483647) } }", Map.of()), "3650");
        assertBadInput(post("{ inventoryStats { unusedFor(days: 3651) } }", Map.of()), "3650");
        assertThat(post("{ inventoryStats { expiringWithin(days: 3650) unusedFor(days: 0) } }", Map.of()))
                .doesNotContainKey("errors");
    }

    // messages

    @Test
    void aWrongTypeIsExplainedWithoutJavaClassNames() {
        Map<String, Object> literal = post("""
                mutation { personalAccessTokenCreate(input: {name: "n", scopes: ["api"], expiresAt: 20270101}) {
                  token errors } }""", Map.of());
        Map<String, Object> variable = post("""
                mutation($d: Date) { personalAccessTokenCreate(input: {name: "n", scopes: ["api"], expiresAt: $d}) {
                  token errors } }""", Map.of("d", 20270101));
        Map<String, Object> wrongInt = post("{ inventoryStats { expiringWithin(days: \"soon\") } }", Map.of());
        Map<String, Object> wrongIntVariable = post("query($d: Int) { inventoryStats { expiringWithin(days: $d) } }",
                Map.of("d", "soon"));
        Map<String, Object> wrongEnum = post("{ accessTokens(sort: SIDEWAYS) { nodes { id } } }", Map.of());

        for (Map<String, Object> response : List.of(literal, variable, wrongInt, wrongIntVariable, wrongEnum)) {
            assertBadInput(response, null);
        }
        assertThat(message(literal)).contains("expiresAt", "20270101", "YYYY-MM-DD");
        assertThat(message(variable)).contains("20270101", "YYYY-MM-DD");
        assertThat(message(wrongEnum)).contains("SIDEWAYS", "CREATED_DESC");
    }

    @Test
    void aHugeBadValueIsNotEchoedBack() {
        String huge = "2027-01-01" + "x".repeat(100_000);
        String longest = huge.substring(0, 9_000);

        HttpResponse<String> literal = http().graphql("{ accessTokens(filter: {expiresBefore: \"" + longest
                + "\"}) { nodes { id } } }", "PRIVATE-TOKEN", adminToken.secret());
        HttpResponse<String> variable = http().postJson("/graphql", json.writeValueAsString(Map.of(
                "query", "query($d: Date) { accessTokens(filter: {expiresBefore: $d}) { nodes { id } } }",
                "variables", Map.of("d", huge))), "PRIVATE-TOKEN", adminToken.secret());
        HttpResponse<String> string = http().postJson("/graphql", json.writeValueAsString(Map.of(
                "query", "query($d: Int) { inventoryStats { expiringWithin(days: $d) } }",
                "variables", Map.of("d", huge))), "PRIVATE-TOKEN", adminToken.secret());

        for (HttpResponse<String> response : List.of(literal, variable, string)) {
            assertThat(response.body().length()).isLessThan(1_000);
            assertBadInput(json.readValue(response.body(), new TypeReference<Map<String, Object>>() { }), null);
        }
        assertThat(literal.body()).contains("2027-01-01xxx");
        assertThat(variable.body()).contains("2027-01-01xxx");
    }

    // helpers

    private void assertBadInput(Map<String, Object> response, String echoed) {
        assertThat(response).containsKey("errors");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
        assertThat(errors).isNotEmpty().allSatisfy(error -> {
            assertThat(error.get("extensions")).as(error.toString()).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) error.get("extensions")).get("code")).as(error.toString())
                    .isEqualTo("BAD_USER_INPUT");
            String message = (String) error.get("message");
            assertThat(message).doesNotContainPattern("java\\.|[A-Z][a-z]+Value\\{|'Integer'|'String'|Exception")
                    .hasSizeLessThan(600);
            if (echoed != null) {
                assertThat(message).contains(echoed);
            }
        });
        Object data = response.get("data");
        assertThat(data == null || !data.toString().contains("token=glpat")).isTrue();
    }

    private static String message(Map<String, Object> response) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.get("errors");
        return (String) errors.getFirst().get("message");
    }

    private String withPaths(String template) {
        return template.replace("GROUP", group.fullPath()).replace("PROJECT", project.fullPath());
    }

    private Map<String, Object> post(String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        HttpResponse<String> response = http().postJson("/graphql", json.writeValueAsString(body),
                "PRIVATE-TOKEN", adminToken.secret());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }

    private ApiHttp http() {
        return new ApiHttp(port, "127.0.0.1");
    }
}
