package dev.patrol.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Actor;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.NewToken;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokenType;

/**
 * The README's console examples, read from the README itself and run through the runner as an administrator would
 * paste them: the {@code runner -e} one-liners (the seeds' Rails one-liners in Groovy) in order, with their
 * {@code # =>} outputs, and the one-line example of every binding in the script-bindings table.
 */
@PatrolTest
class ReadmeExamplesTest {

    static final Path README = Path.of("README.md");
    static final String COMMAND = "java -jar target/patrol-0.1.0-SNAPSHOT.jar runner ";
    static final Pattern AGENT_VALUE = Pattern.compile("glagent-[A-Za-z0-9]+");

    @Autowired ScriptRunner runner;
    @Autowired Fixtures fixtures;
    @Autowired OwnerService owners;
    @Autowired TokenService tokens;

    record Outcome(int exitCode, String out, String err) {
    }

    Outcome run(ScriptRun run) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = runner.run(run, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** A command as written in the README, and the output lines it documents. */
    record OneLiner(String commandLine, List<String> expected) {
    }

    @Test
    void everyRunnerOneLinerOfTheReadmeRunsAsWrittenAndPrintsWhatItSays() throws IOException {
        List<OneLiner> oneLiners = oneLiners(section("#### One-liners: `runner -e`"));
        assertThat(oneLiners).hasSizeGreaterThanOrEqualTo(7);
        userNamed("root", true);
        userNamed("automation-bot", false);
        userNamed("admin-user", true);
        agentTokenWithValueFrom(oneLiners);

        for (OneLiner oneLiner : oneLiners) {
            List<String> words = shellWords(oneLiner.commandLine().substring(COMMAND.length()));
            Outcome outcome = run(ScriptRun.parse(words));

            assertThat(outcome.exitCode()).as(oneLiner.commandLine() + "\n" + outcome.err()).isZero();
            assertThat(outcome.out().lines().toList()).as(oneLiner.commandLine())
                    .isNotEmpty().containsAll(oneLiner.expected());
        }
    }

    @Test
    void everyBindingInTheReadmeTableHasAnExampleThatRuns() throws IOException {
        List<String> examples = bindingExamples(section("### Write your own script"));
        User admin = fixtures.admin();
        fixtures.pat(admin, "api");
        assertThat(examples).hasSize(13);

        for (String example : examples) {
            Outcome outcome = run(ScriptRun.eval(example).withDryRun().as(admin.username()));

            assertThat(outcome.exitCode()).as(example + "\n" + outcome.err()).isZero();
            assertThat(outcome.err()).as(example).doesNotContain("ERROR");
            assertThat(outcome.out()).as(example).isNotBlank();
        }
    }

    @Test
    void inlineCodeFailsLikeAScriptWithTheLineOfEval() {
        User admin = fixtures.admin();

        Outcome failed = run(ScriptRun.parse(List.of("--as", admin.username(), "-e", "println 'one'\nfail('two')")));
        Outcome bare = run(ScriptRun.parse(List.of("--as", admin.username(), "--eval", "println args", "x", "y")));

        assertThat(failed.exitCode()).isEqualTo(ScriptRunner.FAILED);
        assertThat(failed.err()).contains("ERROR eval:2: two").contains("Nothing was changed.");
        assertThat(bare.exitCode()).isZero();
        assertThat(bare.out()).isEqualTo("[x, y]" + System.lineSeparator());
    }

    static String section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README section " + heading).isNotNegative();
        int end = readme.indexOf("\n#", start + heading.length() + 2);
        while (end >= 0 && inCodeBlock(readme, start, end)) {
            end = readme.indexOf("\n#", end + 2);
        }
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static boolean inCodeBlock(String text, int from, int at) {
        int fences = 0;
        for (int i = text.indexOf("```", from); i >= 0 && i < at; i = text.indexOf("```", i + 3)) {
            fences++;
        }
        return fences % 2 == 1;
    }

    static List<OneLiner> oneLiners(String section) {
        List<OneLiner> found = new ArrayList<>();
        for (String line : section.lines().toList()) {
            if (line.startsWith(COMMAND)) {
                found.add(new OneLiner(line, new ArrayList<>()));
            } else if (line.startsWith("# => ") && !found.isEmpty()) {
                found.getLast().expected().add(line.substring("# => ".length()));
            }
        }
        return found;
    }

    /** The third column of the bindings table: one code span per row. */
    static List<String> bindingExamples(String section) {
        List<String> examples = new ArrayList<>();
        for (String row : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            String[] cells = row.split("(?<!\\\\)\\|");
            String example = cells[cells.length - 1].strip();
            assertThat(example).as(row).startsWith("`").endsWith("`");
            examples.add(example.substring(1, example.length() - 1));
        }
        return examples;
    }

    /** Splits a POSIX shell command line into words: single and double quotes, no expansion. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private void userNamed(String username, boolean admin) {
        if (fixtures.ownerRepository().findUserByUsername(username).isEmpty()) {
            fixtures.user(username, admin, UserKind.HUMAN);
        }
    }

    /** The agent token the README's agent one-liners look up, with the value they use. */
    private void agentTokenWithValueFrom(List<OneLiner> oneLiners) {
        String value = oneLiners.stream().map(o -> AGENT_VALUE.matcher(o.commandLine())).filter(Matcher::find)
                .map(Matcher::group).findFirst().orElseThrow();
        if (tokens.findByValue(value).isPresent()) {
            return;
        }
        Project project = fixtures.project(fixtures.group());
        Resource agent = owners.createResource(Actor.system(), ResourceKind.CLUSTER_AGENT, "readme-agent",
                project.id(), null, null);
        tokens.issueWithValue(Actor.system(), new NewToken(TokenType.CLUSTER_AGENT, "readme agent token", null,
                List.of(), null, null, null, null, agent.id(), null, null), value);
    }
}
