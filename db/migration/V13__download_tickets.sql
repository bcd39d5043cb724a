-- Single-use download tickets: a browser following a plain link (the web front end's export) cannot send the token
-- header, so the API hands out a ticket that a GET may present once, within a minute. Only the SHA-256 digest of a
-- ticket is kept; token_id is the token that asked for it, whose rights the download gets. No foreign key: token
-- retention may delete the token while a used ticket row waits to be purged.
CREATE TABLE download_tickets (
    digest      BINARY(32)   NOT NULL PRIMARY KEY,
    token_id    BIGINT       NOT NULL,
    created_at  TIMESTAMP(6) NOT NULL,
    expires_at  TIMESTAMP(6) NOT NULL,
    used_at     TIMESTAMP(6)
);
CREATE INDEX ix_download_tickets_expires_at ON download_tickets (expires_at);
