package dev.patrol.graphql;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.PatrolTest;

@PatrolTest
class SchemaSmokeTest {

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;

    @Test
    void smoke() {
        User user = fixtures.human();
        var tester = GraphQlClients.as(port, fixtures.pat(user, "api"));
        var r = tester.document("""
                { currentUser { id username email kind state createdAt sshKeys { id }
                    personalAccessTokens(first: 5) { count nodes { id name type scopes active revoked expiresAt createdAt lastUsedAt lastUsedIps owner { username } project { id } group { id } createdBy { username } accessLevel displayPrefix } pageInfo { endCursor hasNextPage } } }
                  accessTokens(first: 2) { count nodes { id name } }
                  tokenTypes { type prefix allowedScopes { name adminOnly } expiryRule rotatable managerRole holder }
                  scopes(tokenType: DEPLOY) { name description }
                }""").execute();
        System.out.println(r.returnResponse().toMap());
    }
}
