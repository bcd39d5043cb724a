package dev.patrol.console;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.owner.User;
import dev.patrol.shared.Actor;
import dev.patrol.token.TokenType;

/**
 * What one script run or console session works with: the operator, the output, whether changes are rolled
 * back, and the bindings a script sees.
 */
public final class ScriptContext {

    private final ConsoleServices services;
    private final User operator;
    private final Actor actor;
    private final PrintWriter out;
    private final boolean dryRun;
    private final String usage;

    ScriptContext(ConsoleServices services, User operator, Actor actor, PrintWriter out, boolean dryRun,
            String usage) {
        this.services = services;
        this.operator = operator;
        this.actor = actor;
        this.out = out;
        this.dryRun = dryRun;
        this.usage = usage;
    }

    ConsoleServices services() {
        return services;
    }

    Actor actor() {
        return actor;
    }

    public User operator() {
        return operator;
    }

    public PrintWriter out() {
        return out;
    }

    public boolean dryRun() {
        return dryRun;
    }

    String usage() {
        return usage == null || usage.isBlank() ? "" : usage;
    }

    <T> T inOwnTransaction(Supplier<T> work) {
        if (dryRun) {
            return work.get();
        }
        TransactionTemplate template = new TransactionTemplate(services.transactionManager());
        template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return template.execute(status -> work.get());
    }

    /** The variables a script starts with. */
    Map<String, Object> bindings(List<String> args) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("console", this);
        b.put("args", args);
        b.put("out", out);
        b.put("dsl", services.dsl());
        b.put("operator", new UserHandle(this, operator));
        b.put("Users", new Users(this));
        b.put("AccessTokens", new TokenQuery(this, TokenQuery.ALL_TYPES));
        b.put("PersonalAccessTokens", new TokenQuery(this, TokenType.ofModel("PersonalAccessToken")));
        b.put("ClusterAgentTokens", new TokenQuery(this, TokenType.ofModel("ClusterAgentToken")));
        b.put("Groups", new Groups(this));
        b.put("CiJobs", new CiJobs(this));
        b.put("Settings", new Settings(this));
        b.put("AuditEvents", new AuditEvents(this));
        b.put("Inventory", services.generator().forContext(this));
        b.put("today", services.tokens().today());
        return b;
    }
}
