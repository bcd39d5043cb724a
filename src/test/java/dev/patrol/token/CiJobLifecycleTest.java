package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;

import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.shared.GlobalId;
import dev.patrol.support.Fixtures;
import dev.patrol.support.GraphQlClients;
import dev.patrol.support.PatrolTest;

/** CI jobs start with a job token and finish, which ends it: the GraphQL mutations. */
@PatrolTest
class CiJobLifecycleTest {

    // language=GraphQL
    static final String START = """
            mutation($projectId: ID!) { ciJobStart(input: {projectId: $projectId, name: "rspec 1/4"}) {
              job { id kind state } token accessToken { id type } errors } }""";
    // language=GraphQL
    static final String FINISH = """
            mutation($id: ID!) { ciJobFinish(input: {id: $id}) { job { id state } tokensRevoked errors } }""";

    @LocalServerPort int port;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;

    @Test
    void aJobStartsWithATokenThatWorksUntilTheJobFinishes() {
        User admin = fixtures.admin();
        Project project = fixtures.project(fixtures.group());
        HttpGraphQlTester api = GraphQlClients.as(port, fixtures.pat(admin, "api"));

        var started = api.document(START).variable("projectId", GlobalId.of("Project", project.id())).execute();
        started.path("ciJobStart.job.kind").entity(String.class).isEqualTo("CI_JOB");
        started.path("ciJobStart.job.state").entity(String.class).isEqualTo("RUNNING");
        started.path("ciJobStart.accessToken.type").entity(String.class).isEqualTo("CI_JOB");
        String jobId = started.path("ciJobStart.job.id").entity(String.class).get();
        String secret = started.path("ciJobStart.token").entity(String.class).get();
        assertThat(secret).startsWith("glcbt-");
        assertThat(tokens.authenticate(secret).succeeded()).isTrue();

        var finished = api.document(FINISH).variable("id", jobId).execute();
        finished.path("ciJobFinish.job.state").entity(String.class).isEqualTo("FINISHED");
        finished.path("ciJobFinish.tokensRevoked").entity(Integer.class).isEqualTo(1);
        assertThat(tokens.authenticate(secret).failure()).isEqualTo(AuthFailure.REVOKED);

        api.document(FINISH).variable("id", jobId).execute()
                .path("ciJobFinish.errors[0]").entity(String.class).satisfies(
                        error -> assertThat(error).contains("has already finished"));
    }

    @Test
    void onlyTheJobsUserOrAnAdministratorFinishesIt() {
        User admin = fixtures.admin();
        Project project = fixtures.project(fixtures.group());
        long job = tokens.startCiJob(fixtures.actor(admin), project.id(), "build").job().id();

        GraphQlClients.as(port, fixtures.pat(fixtures.human(), "api")).document(FINISH)
                .variable("id", GlobalId.of("CiJob", job)).execute()
                .errors().satisfy(errors -> assertThat(errors).singleElement()
                        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
    }
}
