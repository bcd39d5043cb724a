-- Credentials inventory: indexes matching the inventory's sorts within a top-level group and over SSH keys,
-- and stable views for analysts (BI tools, ad-hoc SQL).

CREATE INDEX idx_access_tokens_root_created ON access_tokens (root_group_id, created_at, id);
CREATE INDEX idx_access_tokens_root_last_used ON access_tokens (root_group_id, last_used_at, id);
CREATE INDEX idx_access_tokens_root_name ON access_tokens (root_group_id, name, id);
CREATE INDEX idx_access_tokens_created_by ON access_tokens (created_by_id, id);
-- owner-username order walks owners by username (within a top-level group: the owners of its tokens and its
-- enterprise users), then finds their credentials by owner
CREATE INDEX idx_access_tokens_user_id ON access_tokens (user_id, id);
CREATE INDEX idx_access_tokens_root_user ON access_tokens (root_group_id, user_id, id);
CREATE INDEX idx_users_enterprise_group_username ON users (enterprise_group_id, username);
CREATE INDEX idx_ssh_keys_created ON ssh_keys (created_at, id);
CREATE INDEX idx_ssh_keys_last_used ON ssh_keys (last_used_at, id);
CREATE INDEX idx_ssh_keys_title ON ssh_keys (title, id);
CREATE INDEX idx_access_token_scope_usage_used ON access_token_scope_usage (token_id, last_used_at);

-- One row per credential: every access token and every SSH key. state is computed from revoked_at and
-- expires_at against the database's CURRENT_DATE (run the database in UTC: tokens expire at 00:00 UTC).
CREATE VIEW inventory_credentials AS
SELECT 'ACCESS_TOKEN' AS kind,
       t.id AS credential_id,
       t.type AS type,
       t.name AS name,
       t.user_id AS owner_id,
       u.username AS owner_username,
       u.kind AS owner_kind,
       u.state AS owner_state,
       t.root_group_id AS root_group_id,
       t.project_id AS project_id,
       p.full_path AS project_path,
       t.group_id AS group_id,
       g.full_path AS group_path,
       t.access_level AS access_level,
       t.created_at AS created_at,
       t.created_by_id AS created_by_id,
       t.expires_at AS expires_at,
       t.revoked_at AS revoked_at,
       t.last_used_at AS last_used_at,
       CASE WHEN t.revoked_at IS NOT NULL THEN 'REVOKED'
            WHEN t.expires_at IS NOT NULL AND t.expires_at <= CURRENT_DATE THEN 'EXPIRED'
            ELSE 'ACTIVE' END AS state
FROM access_tokens t
LEFT JOIN users u ON u.id = t.user_id
LEFT JOIN projects p ON p.id = t.project_id
LEFT JOIN namespaces g ON g.id = t.group_id
UNION ALL
SELECT 'SSH_KEY' AS kind,
       k.id AS credential_id,
       'SSH_KEY' AS type,
       k.title AS name,
       k.user_id AS owner_id,
       u.username AS owner_username,
       u.kind AS owner_kind,
       u.state AS owner_state,
       u.enterprise_group_id AS root_group_id,
       NULL AS project_id,
       NULL AS project_path,
       NULL AS group_id,
       NULL AS group_path,
       NULL AS access_level,
       k.created_at AS created_at,
       NULL AS created_by_id,
       k.expires_at AS expires_at,
       NULL AS revoked_at,
       k.last_used_at AS last_used_at,
       CASE WHEN k.expires_at IS NOT NULL AND k.expires_at <= CURRENT_DATE THEN 'EXPIRED'
            ELSE 'ACTIVE' END AS state
FROM ssh_keys k
JOIN users u ON u.id = k.user_id;

-- The scopes of each access token, one row per scope (a comma-separated list has no portable SQL form).
CREATE VIEW inventory_credential_scopes AS
SELECT s.token_id AS credential_id, s.scope AS scope
FROM access_token_scopes s;

-- The last five distinct addresses each access token was used from.
CREATE VIEW inventory_credential_ips AS
SELECT i.token_id AS credential_id, i.ip AS ip, i.used_at AS used_at
FROM access_token_last_used_ips i;

-- Which scopes each token exercised, and when first and last: the input of the least-privilege report.
CREATE VIEW inventory_scope_usage AS
SELECT su.token_id AS credential_id, su.scope AS scope, su.first_used_at AS first_used_at,
       su.last_used_at AS last_used_at
FROM access_token_scope_usage su;
