-- Indexes for the GraphQL token, group and audit lists (api-schema). Portable across MySQL 8, MariaDB and H2.

-- accessTokens(filter: {types}, sort: CREATED_*) and (sort: LAST_USED_*): the type filter with the sort's column.
CREATE INDEX idx_access_tokens_type_created ON access_tokens (type, created_at, id);
CREATE INDEX idx_access_tokens_type_last_used ON access_tokens (type, last_used_at, id);

-- Visibility of group and project tokens: the groups under a group the caller is a member of
-- (traversal_ids LIKE '1/5/%' is a prefix range on this index).
CREATE INDEX idx_namespaces_traversal ON namespaces (traversal_ids);

-- auditEvents(filter: {action}), newest first.
CREATE INDEX idx_audit_events_action ON audit_events (action, id);
