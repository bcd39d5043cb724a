package dev.patrol.token;

import dev.patrol.shared.ErrorCode;
import dev.patrol.shared.PatrolException;

/**
 * A revoked token was presented for rotation. By the time this is thrown, every active token of its family has
 * been revoked and that change is committed.
 */
public class TokenReuseDetectedException extends PatrolException {

    private final int revokedCount;

    public TokenReuseDetectedException(AccessToken token, int revokedCount) {
        super(ErrorCode.CONFLICT, "This " + token.type().label() + " was already revoked, so rotating it looks like "
                + "reuse of a leaked token: " + revokedCount + " active token(s) of its family have been revoked.");
        this.revokedCount = revokedCount;
    }

    public int revokedCount() {
        return revokedCount;
    }
}
