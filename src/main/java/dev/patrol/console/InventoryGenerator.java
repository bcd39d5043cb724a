package dev.patrol.console;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.springframework.stereotype.Component;

import dev.patrol.audit.AuditService;
import dev.patrol.audit.AuditTarget;
import dev.patrol.owner.AccessLevel;
import dev.patrol.owner.Group;
import dev.patrol.owner.Member;
import dev.patrol.owner.OwnerRepository;
import dev.patrol.owner.OwnerService;
import dev.patrol.owner.Project;
import dev.patrol.owner.Resource;
import dev.patrol.owner.ResourceKind;
import dev.patrol.owner.SourceType;
import dev.patrol.owner.User;
import dev.patrol.owner.UserKind;
import dev.patrol.owner.UserState;
import dev.patrol.settings.SettingsService;
import dev.patrol.token.AccessToken;
import dev.patrol.token.Holder;
import dev.patrol.token.Scope;
import dev.patrol.token.TokenRepository;
import dev.patrol.token.TokenRepository.StoredToken;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenType;

/**
 * Builds a large, realistic token estate for benchmarks: groups, projects, runners and agents through the owner
 * service; then users, bots, memberships, tokens, scopes and last-used addresses with the owner and token
 * modules' multi-row inserts, one committed transaction per chunk, so memory stays flat and a million tokens take minutes. The first
 * {@code usable} tokens are real personal access tokens with {@code read_api} whose values go to a file; the
 * others have unique digests of values nobody knows. One audit event records the run.
 */
@Component
class InventoryGenerator {

    private static final int CHUNK = 2000;
    private static final String[] NAMES = {"ci-deploy", "laptop", "automation", "backup", "renovate", "terraform",
            "release", "monitoring", "migration", "cli", "ide", "registry-sync", "helm", "docs-bot", "nightly"};

    private final OwnerService owners;
    private final OwnerRepository ownerRepository;
    private final TokenRepository tokenRepository;
    private final SettingsService settings;
    private final AuditService audit;
    private final Clock clock;

    InventoryGenerator(OwnerService owners, OwnerRepository ownerRepository, TokenRepository tokenRepository,
            SettingsService settings, AuditService audit, Clock clock) {
        this.owners = owners;
        this.ownerRepository = ownerRepository;
        this.tokenRepository = tokenRepository;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The script-facing entry point, bound as {@code Inventory}. */
    public Generation forContext(ScriptContext context) {
        return new Generation(context);
    }

    /** {@code Inventory.generate(users: 1000, tokens: 100000, usable: 100, secretsFile: 'tokens.txt', seed: 42)}. */
    public final class Generation {

        private final ScriptContext context;

        Generation(ScriptContext context) {
            this.context = context;
        }

        public Map<String, Long> generate(Map<String, Object> options) {
            int users = intOption(options, "users", 100);
            long tokens = longOption(options, "tokens", 1000);
            int usable = intOption(options, "usable", 0);
            long seed = longOption(options, "seed", System.nanoTime());
            Object secretsFile = options.get("secretsFile");
            if (users < 1 || tokens < 0 || usable < 0 || usable > tokens) {
                throw new ScriptFailure("Need users >= 1 and 0 <= usable <= tokens.");
            }
            if (usable > 0 && secretsFile == null) {
                throw new ScriptFailure("Usable tokens need --secrets-file PATH to write their values to.");
            }
            return new Run(context, users, tokens, usable, seed,
                    secretsFile == null ? null : Path.of(secretsFile.toString())).execute();
        }
    }

    private static int intOption(Map<String, Object> options, String name, int fallback) {
        return (int) longOption(options, name, fallback);
    }

    private static long longOption(Map<String, Object> options, String name, long fallback) {
        Object v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            throw new ScriptFailure(name + " must be a whole number, not '" + v + "'.");
        }
    }

    /** One generation: state shared by the chunks. */
    private final class Run {

        private final ScriptContext context;
        private final int userCount;
        private final long tokenCount;
        private final int usable;
        private final SplittableRandom random;
        private final Path secretsFile;
        private final String tag;
        private final LocalDateTime now;
        private final LocalDate today;
        private final LocalDate[] hotDates;
        /** A fifth of the expiring tokens expire on one date, as when a migration gave tokens a default expiry. */
        private final LocalDate expiryCliff;
        private final int maxLifetime;
        private final Map<String, Long> counts = new LinkedHashMap<>();

        private final List<Group> groups = new ArrayList<>();
        private final List<Project> projects = new ArrayList<>();
        private final List<Resource> runners = new ArrayList<>();
        private final List<Resource> agents = new ArrayList<>();
        private long[] humans;
        private long[] serviceAccounts;
        private final Map<TokenType, Integer> nextOwnerOfType = new EnumMap<>(TokenType.class);
        private final Map<ResourceKind, Integer> nextOfResourceKind = new EnumMap<>(ResourceKind.class);
        private int nextUsableOwner;

        Run(ScriptContext context, int users, long tokens, int usable, long seed, Path secretsFile) {
            this.context = context;
            this.userCount = users;
            this.tokenCount = tokens;
            this.usable = usable;
            this.random = new SplittableRandom(seed);
            this.secretsFile = secretsFile;
            this.tag = Long.toString(Math.abs(random.nextLong() % 2_000_000_000L), 36);
            this.now = LocalDateTime.now(clock).withNano(0);
            this.today = now.toLocalDate();
            this.maxLifetime = settings.current().maxLifetimeDays();
            this.hotDates = new LocalDate[] {today.plusDays(7), today.plusDays(45), today.plusDays(90),
                    today.plusDays(180)};
            this.expiryCliff = today.plusDays(30);
        }

        Map<String, Long> execute() {
            long started = System.nanoTime();
            context.inOwnTransaction(() -> {
                structure();
                return null;
            });
            users();
            try (BufferedWriter secrets = secretsFile == null ? null : openSecrets()) {
                for (long from = 0; from < tokenCount; from += CHUNK) {
                    long first = from;
                    long size = Math.min(CHUNK, tokenCount - from);
                    context.inOwnTransaction(() -> {
                        tokens(first, (int) size, secrets);
                        return null;
                    });
                    if (secrets != null) {
                        secrets.flush();
                    }
                    progress(from + size, started);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            context.inOwnTransaction(() -> {
                audit.record(context.actor(), "inventory_generated",
                        new AuditTarget("Inventory", null, "generated " + tag, null), counts);
                return null;
            });
            context.out().printf("Generated %d users (%d humans, %d service accounts, %d bots), %d groups, "
                            + "%d projects and %d tokens (%d usable, %d revoked, %d expired, %d without expiry) "
                            + "in %.1f s%n", counts.get("humans") + counts.get("service_accounts") + count("bots"),
                    counts.get("humans"), counts.get("service_accounts"), count("bots"), groups.size(),
                    projects.size(), tokenCount, usable, count("revoked"), count("expired"), count("no_expiry"),
                    (System.nanoTime() - started) / 1e9);
            context.out().flush();
            return counts;
        }

        private long count(String key) {
            return counts.getOrDefault(key, 0L);
        }

        private void add(String key, long n) {
            counts.merge(key, n, Long::sum);
        }

        private void progress(long done, long started) {
            long step = Math.max(CHUNK, tokenCount / 10 / CHUNK * CHUNK);
            if (done % step == 0 || done == tokenCount) {
                context.out().printf("  %d/%d tokens (%.1f s)%n", done, tokenCount,
                        (System.nanoTime() - started) / 1e9);
                context.out().flush();
            }
        }

        /** A few groups, projects, runners and agents, through the owner service (audited). */
        private void structure() {
            int topLevel = Math.clamp(userCount / 200, 2, 100);
            for (int g = 0; g < topLevel; g++) {
                Group top = owners.createGroup(context.actor(), null, "gen" + tag + "-g" + g, null);
                Group sub = owners.createGroup(context.actor(), top.fullPath(), "team", null);
                groups.add(top);
                groups.add(sub);
                for (int p = 0; p < 3; p++) {
                    Project project = owners.createProject(context.actor(), (p == 0 ? top : sub).fullPath(),
                            "app" + p, null);
                    projects.add(project);
                    runners.add(owners.createResource(context.actor(), ResourceKind.RUNNER,
                            project.path() + "-runner", project.id(), null, null));
                    if (p == 0) {
                        agents.add(owners.createResource(context.actor(), ResourceKind.CLUSTER_AGENT,
                                project.path() + "-agent", project.id(), null, null));
                    }
                }
            }
        }

        /** Humans (2% blocked) and service accounts, each human a member of one top-level group. */
        private void users() {
            int serviceAccountCount = userCount >= 10 ? userCount / 10 : 0;
            int humanCount = userCount - serviceAccountCount;
            humans = new long[humanCount];
            serviceAccounts = new long[serviceAccountCount];
            for (int from = 0; from < userCount; from += CHUNK) {
                int first = from;
                int size = Math.min(CHUNK, userCount - from);
                context.inOwnTransaction(() -> {
                    insertUsers(first, size, humanCount);
                    return null;
                });
            }
            add("humans", humanCount);
            add("service_accounts", serviceAccountCount);
        }

        private void insertUsers(int first, int size, int humanCount) {
            List<User> users = new ArrayList<>(size);
            for (int i = first; i < first + size; i++) {
                boolean human = i < humanCount;
                String username = "gen" + tag + (human ? "-u" : "-sa") + i;
                users.add(new User(0, username, (human ? "User " : "Service account ") + i,
                        human ? username + "@example.com" : null, human ? UserKind.HUMAN : UserKind.SERVICE_ACCOUNT,
                        false, human && blocked(i) ? UserState.BLOCKED : UserState.ACTIVE,
                        human ? null : topGroup(i).id(), now.minusDays(800 + random.nextInt(400))));
            }
            Map<String, Long> ids = ownerRepository.insertUsers(users);
            List<Member> members = new ArrayList<>(size);
            for (int i = first; i < first + size; i++) {
                long id = ids.get(users.get(i - first).username());
                if (i < humanCount) {
                    humans[i] = id;
                    AccessLevel level = AccessLevel.values()[random.nextInt(AccessLevel.values().length)];
                    members.add(new Member(0, id, SourceType.GROUP, topGroup(i).id(), level, now));
                } else {
                    serviceAccounts[i - humanCount] = id;
                }
            }
            ownerRepository.insertMembers(members);
        }

        private boolean blocked(int humanIndex) {
            return humanIndex % 50 == 49;
        }

        private Group topGroup(int i) {
            return groups.get((i % (groups.size() / 2)) * 2);
        }

        private void tokens(long first, int size, BufferedWriter secrets) {
            List<Row> rows = new ArrayList<>(size);
            for (long j = first; j < first + size; j++) {
                rows.add(j < usable ? usableRow(j) : row(j));
            }
            insertBots(rows);
            List<StoredToken> stored = new ArrayList<>(size);
            for (Row r : rows) {
                Map<String, LocalDateTime> ips = new LinkedHashMap<>();
                if (r.lastUsedAt != null) {
                    int n = 1 + random.nextInt(3);
                    int base = random.nextInt(200);
                    for (int k = 0; k < n; k++) {
                        ips.put("10." + (base + k) % 256 + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)),
                                r.lastUsedAt.minusHours(k * 24L));
                    }
                }
                stored.add(new StoredToken(new AccessToken(0, r.type, r.name, null, r.userId, r.projectId, r.groupId,
                        r.resourceId, r.rootGroupId, r.accessLevel, r.username, r.displayPrefix, r.createdAt,
                        r.userId, r.expiresAt, r.revokedAt, r.revokedAt == null ? null : "revoked", r.lastUsedAt,
                        null, null, r.scopes), r.digest, ips));
                if (r.secret != null) {
                    try {
                        secrets.write(r.secret);
                        secrets.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            tokenRepository.insertAll(stored);
        }

        /** Each project or group access token gets a bot user of its own, a member with the token's role. */
        private void insertBots(List<Row> rows) {
            List<Row> botRows = rows.stream().filter(r -> r.type.hasRole()).toList();
            if (botRows.isEmpty()) {
                return;
            }
            List<User> bots = new ArrayList<>(botRows.size());
            for (Row r : botRows) {
                boolean project = r.type.holder() == Holder.PROJECT_BOT;
                String username = (project ? "project_" + r.projectId : "group_" + r.groupId) + "_bot_gen" + tag + "_"
                        + r.index;
                bots.add(new User(0, username,
                        "Bot of " + (project ? "project " + r.projectId : "group " + r.groupId), null,
                        project ? UserKind.PROJECT_BOT : UserKind.GROUP_BOT, false, UserState.ACTIVE, r.rootGroupId,
                        r.createdAt));
            }
            Map<String, Long> ids = ownerRepository.insertUsers(bots);
            List<Member> members = new ArrayList<>(botRows.size());
            for (int i = 0; i < botRows.size(); i++) {
                Row r = botRows.get(i);
                r.userId = ids.get(bots.get(i).username());
                boolean project = r.type.holder() == Holder.PROJECT_BOT;
                members.add(new Member(0, r.userId, project ? SourceType.PROJECT : SourceType.GROUP,
                        project ? r.projectId : r.groupId, AccessLevel.of(r.accessLevel), r.createdAt));
            }
            ownerRepository.insertMembers(members);
            add("bots", botRows.size());
        }

        private Row usableRow(long j) {
            Row r = new Row(j, TokenType.PERSONAL);
            do {
                r.userId = humans[nextUsableOwner % humans.length];
                nextUsableOwner++;
            } while (blocked((nextUsableOwner - 1) % humans.length) && humans.length > 1);
            r.name = "bench-" + j;
            r.scopes = List.of(Scope.READ_API);
            r.secret = TokenSecrets.generate(TokenType.PERSONAL);
            r.digest = TokenSecrets.digest(r.secret);
            r.displayPrefix = TokenSecrets.displayPrefix(r.secret, TokenType.PERSONAL.prefix());
            r.createdAt = now.minusDays(1);
            r.expiresAt = today.plusDays(Math.min(365, maxLifetime));
            return r;
        }

        private Row row(long j) {
            TokenType type = pickType();
            Row r = new Row(j, type);
            r.name = NAMES[random.nextInt(NAMES.length)] + "-" + j;
            r.createdAt = now.minusMinutes(random.nextLong(730L * 24 * 60));
            switch (type) {
                case PERSONAL -> r.userId = serviceAccounts.length > 0 && random.nextInt(10) == 0
                        ? serviceAccounts[random.nextInt(serviceAccounts.length)]
                        : humans[random.nextInt(humans.length)];
                case IMPERSONATION -> r.userId = humans[random.nextInt(humans.length)];
                case FEED, INCOMING_MAIL -> r.userId = nextOwnerOnce(type);
                case PROJECT, PIPELINE_TRIGGER -> inProject(r);
                case GROUP -> inGroup(r);
                case DEPLOY -> {
                    if (random.nextBoolean()) {
                        inProject(r);
                    } else {
                        inGroup(r);
                    }
                    r.username = "gitlab+deploy-token-gen" + tag + "-" + j;
                }
                case RUNNER_AUTHENTICATION, CLUSTER_AGENT -> {
                    List<Resource> pool = type.resourceKind() == ResourceKind.RUNNER ? runners : agents;
                    int next = nextOfResourceKind.merge(type.resourceKind(), 1, Integer::sum) - 1;
                    Resource resource = pool.get(next % pool.size());
                    r.resourceId = resource.id();
                    r.projectId = resource.projectId();
                    r.rootGroupId = projects.stream().filter(p -> p.id() == resource.projectId()).findFirst()
                            .orElseThrow().rootId();
                    // one active token per runner or agent: the rest are its revoked predecessors
                    if (next >= pool.size()) {
                        r.revokedAt = revokedAt(r.createdAt);
                    }
                }
                default -> throw new IllegalStateException("not generated: " + type);
            }
            if (type.hasRole()) {
                r.accessLevel = random.nextBoolean() ? AccessLevel.MAINTAINER.value() : AccessLevel.DEVELOPER.value();
            }
            r.scopes = scopes(type);
            r.expiresAt = expiry(type);
            if (r.revokedAt == null && random.nextInt(100) < 7) {
                r.revokedAt = revokedAt(r.createdAt);
            }
            if (random.nextInt(100) >= 35) {
                LocalDateTime end = r.revokedAt != null ? r.revokedAt : now;
                long span = Math.max(1, Duration.between(r.createdAt, end).toMinutes());
                r.lastUsedAt = r.createdAt.plusMinutes(random.nextLong(span));
            }
            r.digest = TokenSecrets.digest("generated:" + tag + ":" + j);
            r.displayPrefix = type.prefix() + randomChars(4);
            if (r.revokedAt != null) {
                add("revoked", 1);
            }
            if (r.expiresAt == null) {
                add("no_expiry", 1);
            } else if (!r.expiresAt.isAfter(today)) {
                add("expired", 1);
            }
            return r;
        }

        private TokenType pickType() {
            int roll = random.nextInt(100);
            for (TokenType type : TokenType.values()) {
                roll -= type.estateShare();
                if (roll < 0) {
                    return type;
                }
            }
            return TokenType.PERSONAL;
        }

        /** Feed and incoming mail tokens: one per user; once every human has one, further ones are revoked resets. */
        private long nextOwnerOnce(TokenType type) {
            int next = nextOwnerOfType.merge(type, 1, Integer::sum) - 1;
            return humans[next % humans.length];
        }

        private void inProject(Row r) {
            Project p = projects.get(random.nextInt(projects.size()));
            r.projectId = p.id();
            r.rootGroupId = p.rootId();
        }

        private void inGroup(Row r) {
            Group g = groups.get(random.nextInt(groups.size()));
            r.groupId = g.id();
            r.rootGroupId = g.rootId();
        }

        private List<Scope> scopes(TokenType type) {
            List<Scope> allowed = type.allowedScopesOrdered();
            if (allowed.isEmpty()) {
                return List.of();
            }
            List<Scope> chosen = new ArrayList<>();
            int roll = random.nextInt(100);
            if (type.allowedScopes().contains(Scope.API) && roll < 35) {
                chosen.add(Scope.API);
            } else if (type.allowedScopes().contains(Scope.READ_API) && roll < 70) {
                chosen.add(Scope.READ_API);
            }
            int extra = random.nextInt(3);
            for (int k = 0; k < extra || chosen.isEmpty(); k++) {
                Scope s = allowed.get(random.nextInt(allowed.size()));
                if (!chosen.contains(s) && s != Scope.SUDO && s != Scope.ADMIN_MODE) {
                    chosen.add(s);
                }
            }
            return chosen;
        }

        private LocalDate expiry(TokenType type) {
            if (!type.expires()) {
                return null;
            }
            int roll = random.nextInt(100);
            if (roll < 12) {
                return null;
            }
            if (roll < 22) {
                return today.minusDays(1 + random.nextInt(400));
            }
            if (roll < 42) {
                return expiryCliff;
            }
            if (roll < 50) {
                return hotDates[random.nextInt(hotDates.length)];
            }
            return today.plusDays(1 + random.nextInt(Math.max(1, maxLifetime)));
        }

        private LocalDateTime revokedAt(LocalDateTime createdAt) {
            long span = Math.max(1, Duration.between(createdAt, now).toMinutes());
            return createdAt.plusMinutes(random.nextLong(span));
        }

        private String randomChars(int n) {
            String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            char[] out = new char[n];
            for (int i = 0; i < n; i++) {
                out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            return new String(out);
        }

        private BufferedWriter openSecrets() throws IOException {
            Path parent = secretsFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(secretsFile);
            try {
                Files.createFile(secretsFile,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(secretsFile);
            }
            return Files.newBufferedWriter(secretsFile, StandardCharsets.UTF_8);
        }
    }

    /** One token to insert. */
    private static final class Row {
        final long index;
        final TokenType type;
        String name;
        Long userId;
        Long projectId;
        Long groupId;
        Long resourceId;
        Long rootGroupId;
        Integer accessLevel;
        String username;
        byte[] digest;
        String displayPrefix;
        LocalDateTime createdAt;
        LocalDate expiresAt;
        LocalDateTime revokedAt;
        LocalDateTime lastUsedAt;
        List<Scope> scopes = List.of();
        String secret;

        Row(long index, TokenType type) {
            this.index = index;
            this.type = type;
        }
    }
}
