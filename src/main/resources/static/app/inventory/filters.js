// Every filter of credentialsInventory, how it sits in the URL, and how it becomes the API's InventoryFilter.
export const CREDENTIAL_TYPES = ['PERSONAL', 'IMPERSONATION', 'PROJECT', 'GROUP', 'DEPLOY', 'OAUTH_APPLICATION_SECRET',
  'RUNNER_AUTHENTICATION', 'CI_JOB', 'PIPELINE_TRIGGER', 'FEED', 'INCOMING_MAIL', 'CLUSTER_AGENT', 'SCIM',
  'FEATURE_FLAGS_CLIENT', 'WORKSPACE', 'SSH_KEY'];
export const STATES = ['ACTIVE', 'EXPIRED', 'REVOKED', 'INACTIVE'];
export const OWNER_KINDS = ['HUMAN', 'PROJECT_BOT', 'GROUP_BOT', 'SERVICE_ACCOUNT'];
export const SORTS = [
  ['EXPIRES_ASC', 'Expiry, soonest first'], ['EXPIRES_DESC', 'Expiry, latest first'],
  ['CREATED_ASC', 'Created, oldest first'], ['CREATED_DESC', 'Created, newest first'],
  ['LAST_USED_ASC', 'Last used, longest unused first'], ['LAST_USED_DESC', 'Last used, most recent first'],
  ['NAME_ASC', 'Name, A to Z'], ['NAME_DESC', 'Name, Z to A'],
  ['OWNER_ASC', 'Owner, A to Z'], ['OWNER_DESC', 'Owner, Z to A'],
];

// kind: multi (checkboxes), list (comma-separated text), text, date (Date), time (a day, sent as 00:00 UTC), bool.
export const FILTERS = [
  { name: 'search', label: 'Name contains', kind: 'text' },
  { name: 'types', label: 'Types', kind: 'multi', options: CREDENTIAL_TYPES },
  { name: 'states', label: 'States', kind: 'multi', options: STATES },
  { name: 'ownerUsername', label: 'Owner username (exact)', kind: 'text' },
  { name: 'ownerSearch', label: 'Owner name or username contains', kind: 'text' },
  { name: 'ownerKinds', label: 'Owner kinds', kind: 'multi', options: OWNER_KINDS },
  { name: 'scopesAnyOf', label: 'Any of these scopes', kind: 'list', help: 'Comma-separated, e.g. api, read_api' },
  { name: 'scopesAllOf', label: 'All of these scopes', kind: 'list', help: 'Comma-separated' },
  { name: 'lastUsedIp', label: 'Used from address or CIDR', kind: 'text', help: 'e.g. 10.0.0.0/8 or 2001:db8::/32' },
  { name: 'createdAfter', label: 'Created after', kind: 'time' },
  { name: 'createdBefore', label: 'Created before', kind: 'time' },
  { name: 'expiresAfter', label: 'Expires after', kind: 'date' },
  { name: 'expiresBefore', label: 'Expires before', kind: 'date' },
  { name: 'lastUsedAfter', label: 'Last used after', kind: 'time' },
  { name: 'lastUsedBefore', label: 'Last used before', kind: 'time' },
  { name: 'neverUsed', label: 'Used', kind: 'bool' },
];

const split = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

/** The URL's filter values as the form holds them (strings, and arrays for multi). */
export function draftFrom(params) {
  const draft = {};
  for (const f of FILTERS) {
    const value = params.get(f.name) || '';
    draft[f.name] = f.kind === 'multi' ? split(value) : value;
  }
  return draft;
}

/** The form's values as URL parameters; empty ones left out. */
export function paramsFrom(draft) {
  const params = {};
  for (const f of FILTERS) {
    const value = draft[f.name];
    const text = Array.isArray(value) ? value.join(',') : (value || '').trim();
    if (text) params[f.name] = text;
  }
  return params;
}

/** The URL's filter as the API's InventoryFilter (and the export's parameters, which share its names). */
export function apiFilter(params) {
  const filter = {};
  for (const f of FILTERS) {
    const value = (params.get(f.name) || '').trim();
    if (!value) continue;
    if (f.kind === 'multi' || f.kind === 'list') filter[f.name] = split(value);
    else if (f.kind === 'time') filter[f.name] = `${value}T00:00:00Z`;
    else if (f.kind === 'bool') filter[f.name] = value === 'true';
    else filter[f.name] = value;
  }
  return filter;
}

export function exportQuery(params, format, ticket) {
  const query = new URLSearchParams({ ticket, format });
  const filter = apiFilter(params);
  for (const [name, value] of Object.entries(filter)) {
    query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  if (params.get('groupPath')) query.set('groupPath', params.get('groupPath'));
  if (params.get('sort')) query.set('sort', params.get('sort'));
  return `/inventory/export?${query}`;
}
