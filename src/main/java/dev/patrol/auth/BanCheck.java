package dev.patrol.auth;

import java.io.IOException;

import org.springframework.http.HttpStatus;

/** Refuses an address banned for too many failed authentications ({@link FailedAuthBan}). */
final class BanCheck implements Step {

    private final FailedAuthBan bans;

    BanCheck(FailedAuthBan bans) {
        this.bans = bans;
    }

    @Override
    public boolean pass(Passage passage) throws IOException {
        if (bans.isBanned(passage.ip)) {
            return passage.refuse(HttpStatus.FORBIDDEN, "ip_banned",
                    "Too many failed authentication attempts from your address; try again later.");
        }
        return true;
    }
}
