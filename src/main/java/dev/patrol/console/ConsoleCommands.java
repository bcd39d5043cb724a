package dev.patrol.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;


import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.shell.core.command.AbstractCommand;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.ExitStatus;

import dev.patrol.console.ConsoleMode.ConsoleSessionHolder;

/** The console's commands: everyday admin work by name, and a Groovy session for everything else. */
@Configuration(proxyBeanMethods = false)
@Profile("console")
class ConsoleCommands {

    private static final String GROUP = "Patrol";

    @Bean
    AbstractCommand tokenLookupCommand(ConsoleSessionHolder holder) {
        return command(holder, "token-lookup", "Shows the token a value belongs to: token-lookup VALUE", 1,
                (session, args, out) -> session.attempt(() -> {
                    TokenHandle token = find(session, args.getFirst());
                    UserHandle user = token.getUser();
                    return token + (user == null ? "" : " owner=" + user.getUsername());
                }));
    }

    @Bean
    AbstractCommand tokenRevokeCommand(ConsoleSessionHolder holder) {
        return command(holder, "token-revoke", "Revokes a token by id or value (audited): token-revoke ID|VALUE", 1,
                (session, args, out) -> session.attempt(() -> {
                    TokenHandle token = find(session, args.getFirst());
                    return token.revoke() ? "Revoked " + token.reference() : token.reference() + " was already revoked";
                }));
    }

    @Bean
    AbstractCommand tokenRotateCommand(ConsoleSessionHolder holder) {
        return command(holder, "token-rotate", "Rotates a token by id or value and shows the new value once "
                + "(audited): token-rotate ID|VALUE [EXPIRES_AT]", 1,
                (session, args, out) -> session.attempt(() -> {
                    TokenHandle token = find(session, args.getFirst());
                    TokenHandle successor = token.rotate(args.size() > 1 ? args.get(1) : null);
                    return "Rotated " + token.reference() + " into " + successor.reference() + ", expires "
                            + (successor.getExpiresAt() == null ? "never" : successor.getExpiresAt())
                            + ". New value (shown once): " + successor.getValue();
                }));
    }

    @Bean
    AbstractCommand userBlockCommand(ConsoleSessionHolder holder) {
        return command(holder, "user-block", "Blocks a user (audited); their tokens stop working: user-block USERNAME",
                1, (session, args, out) -> session.attempt(() -> {
                    UserHandle user = new Users(session.context()).findByUsername(args.getFirst());
                    if (user == null) {
                        throw new ScriptFailure("No user '" + args.getFirst() + "'.");
                    }
                    return "Blocked " + user.block();
                }));
    }

    @Bean
    AbstractCommand secretsReencryptCommand(ConsoleSessionHolder holder) {
        return command(holder, "secrets-reencrypt", "Seals every webhook secret again under the active key "
                + "(patrol.secrets.active-key), after a key rotation (audited): secrets-reencrypt", 0,
                (session, args, out) -> session.attempt(() -> {
                    ScriptContext context = session.context();
                    var done = context.services().webhooks().reencryptSecrets(context.actor());
                    return "Re-encrypted " + done.webhookSecrets() + " webhook secret(s) under key '" + done.keyId()
                            + "'.";
                }));
    }

    @Bean
    AbstractCommand scriptsCommand(ConsoleSessionHolder holder) {
        return command(holder, "scripts", "Lists the scripts in console-scripts/", 0, (session, args, out) -> {
            session.scripts().forEach((name, summary) -> out.println(String.format("%-38s %s", name, summary)));
            return true;
        });
    }

    @Bean
    AbstractCommand runCommand(ConsoleSessionHolder holder) {
        return command(holder, "run", "Runs a script as you, in its own transaction (inside the sandbox in "
                + "--sandbox): run SCRIPT [ARGS...] (put -- before the script's own --options)", 1,
                (session, args, out) -> session.runScript(args.getFirst(), args.subList(1, args.size()), out)
                        == ScriptRunner.OK);
    }

    @Bean
    AbstractCommand groovyCommand(ConsoleSessionHolder holder) {
        return new AbstractCommand("groovy", "A Groovy session with the script bindings (Users, AccessTokens, "
                + "PersonalAccessTokens, Settings, AuditEvents, dsl, ...); variables live until exit; an unfinished "
                + "statement continues on the next line; 'exit' leaves it. With code as arguments: evaluates it once.",
                GROUP) {
            @Override
            public ExitStatus doExecute(CommandContext context) throws Exception {
                ConsoleSession session = holder.get();
                PrintWriter out = context.outputWriter();
                List<String> args = arguments(context);
                if (!args.isEmpty()) {
                    return session.evaluate(String.join(" ", args)) ? ExitStatus.OK : ExitStatus.EXECUTION_ERROR;
                }
                out.println("Groovy session. Try: AccessTokens.findByToken('glpat-...') or "
                        + "PersonalAccessTokens.ownerIsHuman().count(). Type exit to leave.");
                out.flush();
                StringBuilder pending = new StringBuilder();
                while (true) {
                    String line = context.inputReader().readInput(pending.isEmpty() ? "groovy> " : "   ...> ");
                    if (line == null || (pending.isEmpty() && (line.strip().equals("exit")
                            || line.strip().equals(":q")))) {
                        return ExitStatus.OK;
                    }
                    pending.append(line).append('\n');
                    if (pending.toString().isBlank() || !session.isComplete(pending.toString())) {
                        continue;
                    }
                    session.evaluate(pending.toString());
                    pending.setLength(0);
                }
            }
        };
    }

    @FunctionalInterface
    interface Action {
        boolean run(ConsoleSession session, List<String> args, PrintWriter out) throws Exception;
    }

    private static AbstractCommand command(ConsoleSessionHolder holder, String name, String description,
            int requiredArgs, Action action) {
        return new AbstractCommand(name, description, GROUP) {
            @Override
            public ExitStatus doExecute(CommandContext context) throws Exception {
                PrintWriter out = context.outputWriter();
                List<String> args = arguments(context);
                if (args.size() < requiredArgs) {
                    out.println("Usage: " + description);
                    out.flush();
                    return ExitStatus.USAGE_ERROR;
                }
                boolean ok = action.run(holder.get(), args, out);
                out.flush();
                return ok ? ExitStatus.OK : ExitStatus.EXECUTION_ERROR;
            }
        };
    }

    /** Positional arguments, then any --options given back as written (for script arguments). */
    private static List<String> arguments(CommandContext context) {
        List<String> args = new ArrayList<>(context.parsedInput().subCommands());
        context.parsedInput().arguments().stream().sorted(Comparator.comparingInt(CommandArgument::index))
                .map(CommandArgument::value).forEach(args::add);
        for (CommandOption option : context.parsedInput().options()) {
            args.add("--" + option.longName());
            if (option.value() != null && !option.value().equals("true")) {
                args.add(option.value());
            }
        }
        return args;
    }

    /** A token by id, or by value (values are never echoed). */
    private static TokenHandle find(ConsoleSession session, String idOrValue) {
        TokenQuery all = new TokenQuery(session.context(), TokenQuery.ALL_TYPES);
        TokenHandle token = idOrValue.matches("\\d+") ? all.find(Long.parseLong(idOrValue)) : all.findByToken(idOrValue);
        if (token == null) {
            throw new ScriptFailure(idOrValue.matches("\\d+") ? "No token " + idOrValue + "." : "No token has that value.");
        }
        return token;
    }
}
