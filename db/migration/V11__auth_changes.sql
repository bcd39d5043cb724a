-- Changes that make a cached authentication wrong (a revoked token, a blocked user, a banned address), written in
-- the transaction that makes them, so every instance can drop what it cached within a second by reading only the
-- last few seconds of this table. Rows are kept for minutes, not as history (the audit log is that).
-- subject: a token id or user id in decimal, or a client address; kind ALL means drop everything.
CREATE TABLE auth_changes (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    changed_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    kind        VARCHAR(8)   NOT NULL,
    subject     VARCHAR(45)  NOT NULL
);
CREATE INDEX auth_changes_changed_at ON auth_changes (changed_at);
