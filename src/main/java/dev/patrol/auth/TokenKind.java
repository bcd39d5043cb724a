package dev.patrol.auth;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.http.HttpStatus;

import dev.patrol.token.AuthFailure;
import dev.patrol.token.TokenType;

/** Lets on only the types of token this door is for (403 otherwise). */
final class TokenKind implements Step {

    private final Predicate<TokenType> accepted;
    private final String reason;
    private final Function<TokenType, String> refusal;

    private TokenKind(Predicate<TokenType> accepted, String reason, Function<TokenType, String> refusal) {
        this.accepted = accepted;
        this.reason = reason;
        this.refusal = refusal;
    }

    /** The types with API access: not deploy, runner, feed tokens and the like. */
    static TokenKind apiAccess() {
        return new TokenKind(TokenType::apiAccess, AuthFailure.NO_API_ACCESS.reason(),
                type -> "A " + type.label() + " cannot be used with the API.");
    }

    /** The types that read feeds (feed tokens). */
    static TokenKind feed() {
        return new TokenKind(TokenType::readsFeeds, "not_a_feed_token",
                type -> "Only a feed token can read this calendar.");
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        TokenType type = passage.token.type();
        if (!accepted.test(type)) {
            return passage.refuse(HttpStatus.FORBIDDEN, reason, refusal.apply(type));
        }
        return true;
    }
}
