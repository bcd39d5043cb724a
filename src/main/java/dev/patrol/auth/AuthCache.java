package dev.patrol.auth;

import java.nio.ByteBuffer;
import java.util.Set;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.patrol.owner.UserStateChanged;
import dev.patrol.token.AuthFailure;
import dev.patrol.token.Authentication;
import dev.patrol.token.TokenSecrets;
import dev.patrol.token.TokenService;
import dev.patrol.token.TokensRevoked;

/**
 * Keeps successful token look-ups for {@code patrol.auth.cache-ttl} (default 5 s), keyed by digest, so a warm
 * request costs no database read. The bound: a token revoked (or a user blocked) on another instance can still
 * authenticate here for at most {@code patrol.auth.changes.stale-after} (1 s, see {@link AuthChangeLog} and
 * {@link CacheTrust}); revocations on this instance drop the entry as soon as they commit. Expiry is checked on every hit; types an instance setting can disable are
 * never cached ({@link dev.patrol.token.TokenType#cachedForAuthentication()}).
 */
@Component
class AuthCache {

    private final TokenService tokens;
    private final CacheTrust trust;
    private final Cache<ByteBuffer, Authentication> cache;
    /**
     * The key of each token cached lately, so that a revocation drops its entry by id in constant time: scanning the
     * cache for it made every revocation cost as much as the cache is large (up to 100,000 entries, expired ones
     * included until Caffeine cleans them up). A token's key is its digest, which never changes, so a key kept
     * longer than its entry is harmless; written before the entry and kept twice as long, it outlives it.
     */
    private final Cache<Long, ByteBuffer> keysByToken;

    AuthCache(TokenService tokens, AuthProperties properties, CacheTrust trust) {
        this.tokens = tokens;
        this.trust = trust;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(properties.cacheTtl()).build();
        this.keysByToken = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl().multipliedBy(2)).build();
    }

    Authentication authenticate(String value) {
        if (!TokenSecrets.isWellFormed(value)) {
            return Authentication.refused(AuthFailure.MALFORMED);
        }
        ByteBuffer key = ByteBuffer.wrap(TokenSecrets.digest(value));
        Authentication hit = cache.getIfPresent(key);
        if (hit != null && !hit.token().isExpired(tokens.today()) && trust.trusted()) {
            return hit;
        }
        Authentication fresh = tokens.authenticate(value);
        if (fresh.succeeded() && fresh.token().type().cachedForAuthentication()) {
            keysByToken.put(fresh.token().id(), key);
            cache.put(key, fresh);
        } else {
            cache.invalidate(key);
        }
        return fresh;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void evict(TokensRevoked event) {
        evictTokens(event.ids());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void evict(UserStateChanged event) {
        evictUser(event.userId());
    }

    void evictTokens(Set<Long> ids) {
        cache.invalidateAll(keysByToken.getAllPresent(ids).values());
    }

    /** Blocking a user is rare: a scan of the cache is fine there. */
    void evictUser(long userId) {
        cache.asMap().values().removeIf(auth -> auth.user() != null && auth.user().id() == userId);
    }

    void evictAll() {
        cache.invalidateAll();
    }
}
