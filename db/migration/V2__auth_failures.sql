-- Failed-authentication counts and bans per client address, shared by every instance on this database.
-- One row per address: the current counting window, its failures, and a ban end while banned.
CREATE TABLE auth_failures (
    ip            VARCHAR(45)  NOT NULL PRIMARY KEY,
    window_start  TIMESTAMP(6) NOT NULL,
    failures      INT          NOT NULL,
    banned_until  TIMESTAMP(6)
);
