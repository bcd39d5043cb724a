package dev.patrol.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.patrol.token.Scope;
import dev.patrol.token.TokenUsageRepository;
import dev.patrol.token.TokenUsageRepository.AddressUse;
import dev.patrol.token.TokenUsageRepository.ScopeUse;
import jakarta.annotation.PreDestroy;

/**
 * Token usage seen by the API (last-used time, client addresses, the scope each request needed), buffered in
 * memory and written in set-based statements every {@code patrol.auth.usage.flush-interval} and on shutdown,
 * so no request writes to the database. Throttled as GitLab does: a token's last-used time at most every
 * {@code last-used-every} (10 min), each of its addresses at most every {@code ip-every} (1 min), keeping its
 * last {@value #KEPT_IPS} distinct addresses; scope usage at the last-used pace. The database condition on
 * {@code last_used_at} keeps several instances within the same pace.
 */
@Component
public class UsageBuffer {

    static final int KEPT_IPS = 5;
    private static final int CHUNK = 1_000;
    private static final Logger log = LoggerFactory.getLogger(UsageBuffer.class);

    private record TokenIp(long tokenId, String ip) {
    }

    private record TokenScope(long tokenId, String scope) {
    }

    private final TokenUsageRepository usage;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final AuthProperties.Usage config;

    private final Map<Long, LocalDateTime> lastUsedSeen = new ConcurrentHashMap<>();
    private final Map<TokenIp, LocalDateTime> ipSeen = new ConcurrentHashMap<>();
    private final Map<TokenScope, LocalDateTime> scopeSeen = new ConcurrentHashMap<>();
    private final Map<Long, LocalDateTime> pendingLastUsed = new ConcurrentHashMap<>();
    private final Map<TokenIp, LocalDateTime> pendingIps = new ConcurrentHashMap<>();
    private final Map<TokenScope, LocalDateTime> pendingScopes = new ConcurrentHashMap<>();

    public UsageBuffer(TokenUsageRepository usage, TransactionTemplate transaction, Clock clock,
            AuthProperties properties) {
        this.usage = usage;
        this.transaction = transaction;
        this.clock = clock;
        this.config = properties.usage();
    }

    /** Notes one use of a token from an address, needing a scope (null when the request needed none). */
    public void record(long tokenId, String ip, Scope scope) {
        LocalDateTime now = LocalDateTime.now(clock);
        if (due(lastUsedSeen, tokenId, now, config.lastUsedEvery())) {
            pendingLastUsed.put(tokenId, now);
        }
        TokenIp address = new TokenIp(tokenId, ip);
        if (ip != null && due(ipSeen, address, now, config.ipEvery())) {
            pendingIps.put(address, now);
        }
        TokenScope used = scope == null ? null : new TokenScope(tokenId, scope.id());
        if (used != null && due(scopeSeen, used, now, config.lastUsedEvery())) {
            pendingScopes.put(used, now);
        }
    }

    /** Writes what is buffered. Runs on a schedule and at shutdown; tests call it directly. */
    @Scheduled(fixedDelayString = "${patrol.auth.usage.flush-interval:10s}")
    @PreDestroy
    public synchronized void flush() {
        Map<Long, LocalDateTime> lastUsed = drain(pendingLastUsed);
        Map<TokenIp, LocalDateTime> ips = drain(pendingIps);
        Map<TokenScope, LocalDateTime> scopes = drain(pendingScopes);
        LocalDateTime now = LocalDateTime.now(clock);
        forget(lastUsedSeen, now, config.lastUsedEvery());
        forget(ipSeen, now, config.ipEvery());
        forget(scopeSeen, now, config.lastUsedEvery());
        if (lastUsed.isEmpty() && ips.isEmpty() && scopes.isEmpty()) {
            return;
        }
        try {
            transaction.executeWithoutResult(status -> {
                chunks(lastUsed).forEach(chunk -> writeLastUsed(chunk, now));
                chunks(ips).forEach(this::writeIps);
                chunks(scopes).forEach(this::writeScopes);
            });
        } catch (RuntimeException e) {
            log.warn("Could not write token usage ({} tokens); it is dropped", lastUsed.size(), e);
        }
    }

    private void writeLastUsed(Map<Long, LocalDateTime> chunk, LocalDateTime now) {
        usage.recordLastUsed(chunk, now.minus(config.lastUsedEvery()));
    }

    private void writeIps(Map<TokenIp, LocalDateTime> chunk) {
        usage.recordAddresses(chunk.entrySet().stream()
                .map(e -> new AddressUse(e.getKey().tokenId(), e.getKey().ip(), e.getValue())).toList(), KEPT_IPS);
    }

    private void writeScopes(Map<TokenScope, LocalDateTime> chunk) {
        usage.recordScopes(chunk.entrySet().stream()
                .map(e -> new ScopeUse(e.getKey().tokenId(), e.getKey().scope(), e.getValue())).toList());
    }

    private static <K> boolean due(Map<K, LocalDateTime> seen, K key, LocalDateTime now, Duration every) {
        boolean[] due = {false};
        seen.compute(key, (k, last) -> {
            if (last == null || !now.isBefore(last.plus(every))) {
                due[0] = true;
                return now;
            }
            return last;
        });
        return due[0];
    }

    private static <K> Map<K, LocalDateTime> drain(Map<K, LocalDateTime> pending) {
        Map<K, LocalDateTime> drained = new HashMap<>();
        for (K key : List.copyOf(pending.keySet())) {
            LocalDateTime value = pending.remove(key);
            if (value != null) {
                drained.put(key, value);
            }
        }
        return drained;
    }

    private static <K> void forget(Map<K, LocalDateTime> seen, LocalDateTime now, Duration every) {
        seen.values().removeIf(last -> !now.isBefore(last.plus(every)));
    }

    private static <K> List<Map<K, LocalDateTime>> chunks(Map<K, LocalDateTime> all) {
        List<Map<K, LocalDateTime>> chunks = new ArrayList<>();
        Map<K, LocalDateTime> current = new HashMap<>();
        for (var e : all.entrySet()) {
            current.put(e.getKey(), e.getValue());
            if (current.size() == CHUNK) {
                chunks.add(current);
                current = new HashMap<>();
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
