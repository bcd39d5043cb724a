-- Patrol foundation schema. Portable across MySQL 8, MariaDB 10.6+ and H2 (MODE=MySQL).
-- Timestamps are UTC. Every list the API or the inventory serves has an index matching its filter and sort.

CREATE TABLE users (
    id                  BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username            VARCHAR(255) NOT NULL,
    name                VARCHAR(255) NOT NULL,
    email               VARCHAR(255),
    kind                VARCHAR(20)  NOT NULL,
    admin               BOOLEAN      NOT NULL DEFAULT FALSE,
    state               VARCHAR(20)  NOT NULL,
    enterprise_group_id BIGINT,
    created_at          TIMESTAMP(6) NOT NULL,
    CONSTRAINT uk_users_username UNIQUE (username)
);
CREATE INDEX idx_users_kind ON users (kind, id);
CREATE INDEX idx_users_state ON users (state, id);
CREATE INDEX idx_users_enterprise_group ON users (enterprise_group_id, id);

-- Groups. Named after GitLab's table: GROUPS is a reserved word in MySQL 8.
CREATE TABLE namespaces (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    parent_id   BIGINT,
    root_id     BIGINT,
    -- ids from the root down to this group, '/'-separated and '/'-terminated: '1/5/9/'
    traversal_ids VARCHAR(255) NOT NULL,
    name        VARCHAR(255) NOT NULL,
    path        VARCHAR(255) NOT NULL,
    full_path   VARCHAR(767) NOT NULL,
    created_at  TIMESTAMP(6) NOT NULL,
    CONSTRAINT uk_namespaces_full_path UNIQUE (full_path),
    CONSTRAINT fk_namespaces_parent FOREIGN KEY (parent_id) REFERENCES namespaces (id)
);
CREATE INDEX idx_namespaces_root ON namespaces (root_id);

CREATE TABLE projects (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    namespace_id  BIGINT       NOT NULL,
    root_id       BIGINT       NOT NULL,
    name          VARCHAR(255) NOT NULL,
    path          VARCHAR(255) NOT NULL,
    full_path     VARCHAR(767) NOT NULL,
    created_at    TIMESTAMP(6) NOT NULL,
    CONSTRAINT uk_projects_full_path UNIQUE (full_path),
    CONSTRAINT fk_projects_namespace FOREIGN KEY (namespace_id) REFERENCES namespaces (id)
);
CREATE INDEX idx_projects_namespace ON projects (namespace_id);
CREATE INDEX idx_projects_root ON projects (root_id);

-- A user's membership of a project or a group; access_level 10/15/20/30/40/50.
CREATE TABLE members (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id       BIGINT       NOT NULL,
    source_type   VARCHAR(10)  NOT NULL,
    source_id     BIGINT       NOT NULL,
    access_level  INT          NOT NULL,
    created_at    TIMESTAMP(6) NOT NULL,
    CONSTRAINT uk_members_source_user UNIQUE (source_type, source_id, user_id),
    CONSTRAINT fk_members_user FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX idx_members_user ON members (user_id, source_type, source_id);

-- Things other than users, projects and groups that hold a token: runners, Kubernetes agents,
-- OAuth applications, CI jobs, workspaces.
CREATE TABLE resources (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind        VARCHAR(30)  NOT NULL,
    name        VARCHAR(255) NOT NULL,
    project_id  BIGINT,
    group_id    BIGINT,
    user_id     BIGINT,
    state       VARCHAR(20)  NOT NULL,
    created_at  TIMESTAMP(6) NOT NULL
);
CREATE INDEX idx_resources_project ON resources (project_id);
CREATE INDEX idx_resources_group ON resources (group_id);

CREATE TABLE access_tokens (
    id                BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    type              VARCHAR(40)   NOT NULL,
    name              VARCHAR(255)  NOT NULL,
    description       VARCHAR(1000),
    user_id           BIGINT,
    project_id        BIGINT,
    group_id          BIGINT,
    resource_id       BIGINT,
    root_group_id     BIGINT,
    access_level      INT,
    username          VARCHAR(255),
    digest            BINARY(32)    NOT NULL,
    display_prefix    VARCHAR(20)   NOT NULL,
    created_at        TIMESTAMP(6)  NOT NULL,
    created_by_id     BIGINT,
    expires_at        DATE,
    revoked_at        TIMESTAMP(6),
    revoke_reason     VARCHAR(30),
    last_used_at      TIMESTAMP(6),
    previous_token_id BIGINT,
    family_id         BIGINT,
    CONSTRAINT uk_access_tokens_digest UNIQUE (digest),
    -- a token has at most one successor: two rotations of one token can never both succeed
    CONSTRAINT uk_access_tokens_previous UNIQUE (previous_token_id),
    CONSTRAINT fk_access_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX idx_access_tokens_user ON access_tokens (user_id, type, id);
CREATE INDEX idx_access_tokens_project ON access_tokens (project_id, type, id);
CREATE INDEX idx_access_tokens_group ON access_tokens (group_id, type, id);
CREATE INDEX idx_access_tokens_resource ON access_tokens (resource_id);
CREATE INDEX idx_access_tokens_root_expires ON access_tokens (root_group_id, expires_at, id);
CREATE INDEX idx_access_tokens_expires ON access_tokens (expires_at, id);
CREATE INDEX idx_access_tokens_type_expires ON access_tokens (type, expires_at, id);
CREATE INDEX idx_access_tokens_created ON access_tokens (created_at, id);
CREATE INDEX idx_access_tokens_last_used ON access_tokens (last_used_at, id);
CREATE INDEX idx_access_tokens_revoked ON access_tokens (revoked_at, id);
CREATE INDEX idx_access_tokens_name ON access_tokens (name, id);
CREATE INDEX idx_access_tokens_family ON access_tokens (family_id);

CREATE TABLE access_token_scopes (
    token_id  BIGINT      NOT NULL,
    scope     VARCHAR(40) NOT NULL,
    PRIMARY KEY (token_id, scope),
    CONSTRAINT fk_access_token_scopes_token FOREIGN KEY (token_id) REFERENCES access_tokens (id) ON DELETE CASCADE
);
CREATE INDEX idx_access_token_scopes_scope ON access_token_scopes (scope, token_id);

-- The last five distinct addresses a token was used from.
CREATE TABLE access_token_last_used_ips (
    token_id  BIGINT       NOT NULL,
    ip        VARCHAR(45)  NOT NULL,
    used_at   TIMESTAMP(6) NOT NULL,
    PRIMARY KEY (token_id, ip),
    CONSTRAINT fk_access_token_ips_token FOREIGN KEY (token_id) REFERENCES access_tokens (id) ON DELETE CASCADE
);
CREATE INDEX idx_access_token_ips_ip ON access_token_last_used_ips (ip, token_id);

CREATE TABLE ssh_keys (
    id            BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id       BIGINT        NOT NULL,
    title         VARCHAR(255)  NOT NULL,
    public_key    VARCHAR(4000) NOT NULL,
    fingerprint   VARCHAR(100)  NOT NULL,
    usage_type    VARCHAR(20)   NOT NULL,
    created_at    TIMESTAMP(6)  NOT NULL,
    expires_at    DATE,
    last_used_at  TIMESTAMP(6),
    CONSTRAINT uk_ssh_keys_fingerprint UNIQUE (fingerprint),
    CONSTRAINT fk_ssh_keys_user FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX idx_ssh_keys_user ON ssh_keys (user_id, id);
CREATE INDEX idx_ssh_keys_expires ON ssh_keys (expires_at, id);

CREATE TABLE audit_events (
    id           BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    created_at   TIMESTAMP(6)  NOT NULL,
    actor_id     BIGINT,
    actor_name   VARCHAR(255)  NOT NULL,
    action       VARCHAR(60)   NOT NULL,
    target_type  VARCHAR(60)   NOT NULL,
    target_id    BIGINT,
    target_name  VARCHAR(255),
    group_id     BIGINT,
    source       VARCHAR(10)   NOT NULL,
    ip           VARCHAR(45),
    details      VARCHAR(4000)
);
CREATE INDEX idx_audit_events_created ON audit_events (created_at, id);
CREATE INDEX idx_audit_events_target ON audit_events (target_type, target_id, id);
CREATE INDEX idx_audit_events_actor ON audit_events (actor_id, id);
CREATE INDEX idx_audit_events_group ON audit_events (group_id, id);

-- One row (id = 1) of instance-wide settings.
CREATE TABLE instance_settings (
    id                     INT          NOT NULL PRIMARY KEY,
    max_lifetime_days      INT          NOT NULL,
    require_expiration     BOOLEAN      NOT NULL,
    impersonation_enabled  BOOLEAN      NOT NULL,
    updated_at             TIMESTAMP(6) NOT NULL
);
INSERT INTO instance_settings (id, max_lifetime_days, require_expiration, impersonation_enabled, updated_at)
VALUES (1, 365, TRUE, TRUE, CURRENT_TIMESTAMP);

-- Which scopes each token actually exercised: the narrowest scope each authenticated request needed.
-- Written (throttled) by the auth path; read by the least-privilege report.
CREATE TABLE access_token_scope_usage (
    token_id       BIGINT       NOT NULL,
    scope          VARCHAR(40)  NOT NULL,
    first_used_at  TIMESTAMP(6) NOT NULL,
    last_used_at   TIMESTAMP(6) NOT NULL,
    PRIMARY KEY (token_id, scope),
    CONSTRAINT fk_access_token_scope_usage_token FOREIGN KEY (token_id) REFERENCES access_tokens (id) ON DELETE CASCADE
);
