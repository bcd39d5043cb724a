package dev.patrol.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.Project;
import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.TokenService;

/** The console's {@code CiJobs} binding: a job starts with its token and finishing it ends the token. */
@PatrolTest
class CiJobsBindingTest {

    @Autowired ScriptRunner runner;
    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;

    @TempDir Path dir;

    @Test
    void aScriptStartsAJobPrintsItsTokenOnceAndFinishesIt() throws Exception {
        User admin = fixtures.admin();
        Project project = fixtures.project(fixtures.group());
        Path script = dir.resolve("job.groovy");
        Files.writeString(script, """
                def t = CiJobs.start(Groups.findProject(argument(0)), 'rspec')
                println t.value
                println CiJobs.find(t.resourceId).state
                println CiJobs.finish(t)
                println CiJobs.find(t.resourceId).state
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = runner.run(ScriptRun.of(script.toString(), project.fullPath()).as(admin.username()),
                new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        var lines = out.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("glcbt-");
        assertThat(lines.subList(1, 4)).containsExactly("RUNNING", "1", "FINISHED");
        assertThat(tokens.authenticate(lines.get(0)).failure()).isEqualTo(AuthFailure.REVOKED);
    }
}
