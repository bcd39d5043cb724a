-- Expiry notifications, webhooks, the notification outbox and their settings.

-- The exactly-once claim: one row per token, channel (EMAIL or WEBHOOK), threshold in days and expiry date.
-- The job inserts claims and the outbox messages they cause in one transaction; the unique key makes a rerun,
-- a retried crash or a second instance find the token already claimed. The expiry date is part of the key so
-- an extended token is notified again for its new date.
CREATE TABLE expiry_notifications (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    token_id        BIGINT       NOT NULL,
    channel         VARCHAR(10)  NOT NULL,
    threshold_days  INT          NOT NULL,
    expires_at      DATE         NOT NULL,
    run_id          VARCHAR(36)  NOT NULL,
    created_at      TIMESTAMP(6) NOT NULL,
    CONSTRAINT uk_expiry_notifications UNIQUE (token_id, channel, threshold_days, expires_at),
    CONSTRAINT fk_expiry_notifications_token FOREIGN KEY (token_id) REFERENCES access_tokens (id) ON DELETE CASCADE
);
CREATE INDEX idx_expiry_notifications_run ON expiry_notifications (run_id);

-- Project and group webhooks. The secret is sent back in a header, so it is stored, never shown again.
CREATE TABLE webhooks (
    id                          BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id                  BIGINT,
    group_id                    BIGINT,
    url                         VARCHAR(2000) NOT NULL,
    secret_token                VARCHAR(255),
    resource_access_token_events BOOLEAN      NOT NULL,
    extended_expiry_thresholds  BOOLEAN       NOT NULL,
    created_by_id               BIGINT,
    created_at                  TIMESTAMP(6)  NOT NULL
);
CREATE INDEX idx_webhooks_project ON webhooks (project_id, id);
CREATE INDEX idx_webhooks_group ON webhooks (group_id, id);

-- Messages waiting for delivery, and the delivery log: e-mails (recipient = address) and webhook calls
-- (webhook_id set). Senders lease due rows with a conditional update (locked_by, locked_until), so several
-- instances never deliver one row at the same time; failures back off exponentially.
CREATE TABLE notification_outbox (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    channel          VARCHAR(10)   NOT NULL,
    kind             VARCHAR(40)   NOT NULL,
    recipient        VARCHAR(2000) NOT NULL,
    user_id          BIGINT,
    webhook_id       BIGINT,
    subject          VARCHAR(255),
    body             TEXT          NOT NULL,
    state            VARCHAR(10)   NOT NULL,
    attempts         INT           NOT NULL,
    next_attempt_at  TIMESTAMP(6)  NOT NULL,
    locked_by        VARCHAR(36),
    locked_until     TIMESTAMP(6),
    last_error       VARCHAR(1000),
    response_status  INT,
    created_at       TIMESTAMP(6)  NOT NULL,
    delivered_at     TIMESTAMP(6),
    CONSTRAINT fk_notification_outbox_webhook FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE
);
CREATE INDEX idx_notification_outbox_due ON notification_outbox (state, next_attempt_at, id);
CREATE INDEX idx_notification_outbox_webhook ON notification_outbox (webhook_id, id);
CREATE INDEX idx_notification_outbox_lease ON notification_outbox (locked_by);

-- One row (id = 1) of notification settings an administrator can change at run time.
CREATE TABLE notification_settings (
    id                    INT          NOT NULL PRIMARY KEY,
    allow_local_webhooks  BOOLEAN      NOT NULL,
    updated_at            TIMESTAMP(6) NOT NULL
);
INSERT INTO notification_settings (id, allow_local_webhooks, updated_at) VALUES (1, FALSE, CURRENT_TIMESTAMP);
