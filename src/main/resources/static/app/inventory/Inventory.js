// The credentials inventory: every filter as a form control reflected in the URL, keyset paging both ways, every
// sort, the row actions, bulk revoke (preview, then confirm exactly that) and the export.
import { html, useEffect, useRef, useState } from '/lib/htm/preact/standalone.module.js';
import { gql, payload } from '../api.js';
import { navigate } from '../route.js';
import { Addresses, Confirm, Expiry, Scopes, SecretDialog, Status, Time } from '../ui.js';
import { apiFilter, draftFrom, exportQuery, FILTERS, paramsFrom, SORTS } from './filters.js';
import { BulkRevoke } from './BulkRevoke.js';

const INVENTORY = new URL('./inventory.graphql', import.meta.url);
const COUNT = new URL('./inventory-count.graphql', import.meta.url);
/** The server counts this far and answers one more beyond it (schema: credentialsInventory.count). */
const COUNTED_UP_TO = 10000;
const REVOKE = new URL('./credential-revoke.graphql', import.meta.url);
const ROTATE = new URL('./credential-rotate.graphql', import.meta.url);
const DELETE_KEY = new URL('./ssh-key-delete.graphql', import.meta.url);
const TICKET = new URL('./download-ticket.graphql', import.meta.url);
const PAGE_SIZES = ['20', '50', '100'];

const label = (value) => value.charAt(0) + value.slice(1).toLowerCase().replaceAll('_', ' ');

function FilterControl({ filter, value, set }) {
  const id = `filter-${filter.name}`;
  const help = filter.help && html`<p class="help" id=${`${id}-help`}>${filter.help}</p>`;
  if (filter.kind === 'multi') {
    return html`<fieldset class="multi" id=${id}><legend>${filter.label}</legend>
      ${filter.options.map((o) => html`<span class="check" key=${o}>
        <input type="checkbox" id=${`${id}-${o}`} checked=${value.includes(o)}
               onChange=${(e) => set(e.target.checked ? [...value, o] : value.filter((v) => v !== o))} />
        <label for=${`${id}-${o}`}>${label(o)}</label></span>`)}
    </fieldset>`;
  }
  if (filter.kind === 'bool') {
    return html`<div class="field"><label for=${id}>${filter.label}</label>
      <select id=${id} value=${value} onChange=${(e) => set(e.target.value)}>
        <option value="">Either</option><option value="true">Never used</option><option value="false">Used at least once</option>
      </select></div>`;
  }
  const type = filter.kind === 'date' || filter.kind === 'time' ? 'date' : 'text';
  return html`<div class="field"><label for=${id}>${filter.label}</label>
    <input id=${id} type=${type} value=${value} aria-describedby=${filter.help ? `${id}-help` : undefined}
           onInput=${(e) => set(e.target.value)} />${help}</div>`;
}

export function Inventory({ params, path, user }) {
  const query = params.toString();
  const [draft, setDraft] = useState(draftFrom(params));
  const [groupPath, setGroupPath] = useState(params.get('groupPath') || '');
  const [page, setPage] = useState(null);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [asking, setAsking] = useState(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState(null);
  const [bulk, setBulk] = useState(false);
  const [loading, setLoading] = useState(true);
  const [count, setCount] = useState(null);
  // On a phone the filters start folded so the list is in view; the summary says how many are set.
  const [filtersOpen, setFiltersOpen] = useState(!window.matchMedia('(max-width: 40rem)').matches);
  const activeFilters = Object.keys(paramsFrom(draftFrom(params))).length + (params.get('groupPath') ? 1 : 0);
  const rendered = useRef(false);
  const sort = params.get('sort') || 'EXPIRES_ASC';
  const size = Number(params.get('size') || 20);

  const load = () => {
    const variables = { groupPath: params.get('groupPath') || null, filter: apiFilter(params), sort };
    if (params.get('before')) Object.assign(variables, { last: size, before: params.get('before') });
    else Object.assign(variables, { first: size, after: params.get('after') || null });
    setLoading(true);
    return gql(INVENTORY, variables).then((d) => { setPage(d.credentialsInventory); setError(''); })
      .catch((e) => { setPage({ nodes: [], pageInfo: {} }); setError(e.message); })
      .finally(() => setLoading(false));
  };

  // The count is a query of its own: over a large estate it costs more than a keyset page, so the rows do not wait
  // for it, and paging (which does not change it) does not ask again.
  const countKey = JSON.stringify([params.get('groupPath') || null, apiFilter(params)]);
  const loadCount = () => {
    setCount(null);
    gql(COUNT, { groupPath: params.get('groupPath') || null, filter: apiFilter(params) })
      .then((d) => setCount(d.credentialsInventory.count))
      .catch((e) => setCount(e.message));
  };
  useEffect(loadCount, [countKey]);

  useEffect(() => {
    setDraft(draftFrom(params));
    setGroupPath(params.get('groupPath') || '');
    load();
  }, [query]);

  useEffect(() => {
    if (page && page.nodes.length && !rendered.current) {
      rendered.current = true;
      performance.mark('inventory-rendered');
    }
  }, [page]);

  const base = () => {
    const next = paramsFrom(draft);
    if (groupPath.trim()) next.groupPath = groupPath.trim();
    if (sort !== 'EXPIRES_ASC') next.sort = sort;
    if (size !== 20) next.size = String(size);
    return next;
  };
  const withSetting = (name, value, fallback) => {
    const next = Object.fromEntries([...params].filter(([k]) => k !== 'after' && k !== 'before' && k !== name));
    if (value !== fallback) next[name] = value;
    navigate(path, next);
  };
  const pageTo = (cursorName, cursor) => {
    const next = Object.fromEntries([...params].filter(([k]) => k !== 'after' && k !== 'before'));
    next[cursorName] = cursor;
    navigate(path, next);
  };

  const act = async () => {
    const { kind, row } = asking;
    setBusy(true);
    try {
      if (kind === 'rotate') {
        const result = payload((await gql(ROTATE, { id: row.id })).credentialRotate);
        setSecret({ title: `New value of “${row.name}”`, value: result.token });
        setMessage(`Rotated “${row.name}”; its owner is notified.`);
      } else if (kind === 'revoke') {
        payload((await gql(REVOKE, { id: row.id })).credentialRevoke);
        setMessage(`Revoked “${row.name}”; its owner is notified.`);
      } else {
        payload((await gql(DELETE_KEY, { id: row.id })).sshKeyDeleteFromInventory);
        setMessage(`Deleted the SSH key “${row.name}”; its owner is notified.`);
      }
      setError('');
      load();
      loadCount();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  const download = async (format) => {
    try {
      const result = payload((await gql(TICKET)).downloadTicketCreate);
      setMessage(`Exporting as ${format.toUpperCase()}: your browser saves the file as it arrives.`);
      window.location.assign(exportQuery(params, format, result.ticket));
    } catch (e) {
      setError(e.message);
    }
  };

  const ASK = {
    revoke: ['Revoke', 'Whatever uses this token stops working at once; its owner is notified.'],
    rotate: ['Rotate', 'A new value replaces this one at once (shown to you once); its owner is notified.'],
    delete: ['Delete key', 'The key stops working at once; its owner is notified.'],
  };

  return html`<section aria-labelledby="inventory-title">
    <h1 id="inventory-title">Credentials inventory</h1>
    <details class="filter-box" open=${filtersOpen} onToggle=${(e) => setFiltersOpen(e.target.open)}>
    <summary>Filters${activeFilters ? ` (${activeFilters} set)` : ''}</summary>
    <form id="inventory-filters" class="filters" onSubmit=${(e) => { e.preventDefault(); navigate(path, base()); }}>
      <div class="field"><label for="filter-groupPath">Top-level group</label>
        <input id="filter-groupPath" value=${groupPath} onInput=${(e) => setGroupPath(e.target.value)}
               aria-describedby="group-help" />
        <p class="help" id="group-help">${user.admin ? 'Empty: the whole instance.' : 'The path of a top-level group you own.'}</p></div>
      ${FILTERS.map((f) => html`<${FilterControl} key=${f.name} filter=${f} value=${draft[f.name]}
          set=${(v) => setDraft({ ...draft, [f.name]: v })} />`)}
      <div class="actions">
        <button type="submit" id="apply-filters">Apply filters</button>
        <button type="button" id="clear-filters" onClick=${() => navigate(path, {})}>Clear</button>
      </div>
    </form>
    </details>
    <${Status} error=${error} message=${message} />
    <div class="toolbar">
      <div class="field"><label for="inventory-sort">Sort by</label>
        <select id="inventory-sort" value=${sort} onChange=${(e) => withSetting('sort', e.target.value, 'EXPIRES_ASC')}>
          ${SORTS.map(([value, text]) => html`<option key=${value} value=${value}>${text}</option>`)}
        </select></div>
      <div class="field"><label for="inventory-size">Per page</label>
        <select id="inventory-size" value=${String(size)} onChange=${(e) => withSetting('size', e.target.value, '20')}>
          ${PAGE_SIZES.map((s) => html`<option key=${s} value=${s}>${s}</option>`)}
        </select></div>
      <button type="button" id="bulk-revoke" class="danger" onClick=${() => setBulk(true)}>Revoke all matching…</button>
      <button type="button" id="export-csv" onClick=${() => download('csv')}>Export CSV</button>
      <button type="button" id="export-ndjson" onClick=${() => download('ndjson')}>Export NDJSON</button>
    </div>
    ${!page ? html`<p class="loading" aria-live="polite">Loading credentials…</p>` : html`<div class="table-wrap">
      <table id="inventory-table" aria-busy=${loading ? 'true' : 'false'}>
        <caption aria-live="polite">${count === null ? 'Credentials that match (counting…)'
          : typeof count === 'number' ? html`<span id="inventory-count">${count > COUNTED_UP_TO
            ? `more than ${COUNTED_UP_TO.toLocaleString('en')}` : count}</span> credentials match`
            : `Credentials that match (not counted: ${count})`}</caption>
        <thead><tr>
          <th scope="col">Name</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Owner</th>
          <th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th>
          <th scope="col">Addresses</th><th scope="col"><span class="sr-only">Actions</span></th>
        </tr></thead>
        <tbody>
          ${page.nodes.length === 0 && html`<tr><td colspan="10" class="muted">Nothing matches.</td></tr>`}
          ${page.nodes.map((c) => html`<tr key=${c.id} data-id=${c.id}>
            <th scope="row" class="name">${c.name}${c.resourcePath && html`<div class="muted">${c.resourcePath}${c.role ? ` · ${c.role}` : ''}</div>`}</th>
            <td>${label(c.type)}</td>
            <td><span class=${`badge ${c.state === 'ACTIVE' ? 'ok' : 'bad'}`}>${label(c.state)}</span></td>
            <td>${c.owner ? c.owner.username : html`<span class="muted">none</span>`}</td>
            <td><${Scopes} scopes=${c.scopes} /></td>
            <td><${Time} value=${c.createdAt} /></td>
            <td><${Expiry} date=${c.expiresAt} revoked=${c.revoked} /></td>
            <td><${Time} value=${c.lastUsedAt} /></td>
            <td><${Addresses} ips=${c.lastUsedIps} /></td>
            <td class="actions">
              ${c.kind === 'ACCESS_TOKEN' && !c.revoked && html`<button type="button" class="revoke danger"
                  aria-label=${`Revoke ${c.name}`} onClick=${() => setAsking({ kind: 'revoke', row: c })}>Revoke</button>`}
              ${c.kind === 'ACCESS_TOKEN' && c.state === 'ACTIVE' && html`<button type="button" class="rotate"
                  aria-label=${`Rotate ${c.name}`} onClick=${() => setAsking({ kind: 'rotate', row: c })}>Rotate</button>`}
              ${c.kind === 'SSH_KEY' && html`<button type="button" class="delete danger"
                  aria-label=${`Delete SSH key ${c.name}`} onClick=${() => setAsking({ kind: 'delete', row: c })}>Delete key</button>`}
            </td>
          </tr>`)}
        </tbody>
      </table></div>
      <nav class="pager" aria-label="Pages of the inventory">
        <button type="button" id="page-prev" disabled=${loading || !page.pageInfo.hasPreviousPage}
                onClick=${() => pageTo('before', page.pageInfo.startCursor)}>← Previous page</button>
        <button type="button" id="page-next" disabled=${loading || !page.pageInfo.hasNextPage}
                onClick=${() => pageTo('after', page.pageInfo.endCursor)}>Next page →</button>
      </nav>`}
    ${asking && html`<${Confirm} busy=${busy} onClose=${() => setAsking(null)} onConfirm=${act}
        title=${`${ASK[asking.kind][0]} “${asking.row.name}”${asking.row.owner ? ` of ${asking.row.owner.username}` : ''}?`}
        action=${ASK[asking.kind][0]} message=${ASK[asking.kind][1]} />`}
    ${secret && html`<${SecretDialog} title=${secret.title} value=${secret.value} onClose=${() => setSecret(null)} />`}
    ${bulk && html`<${BulkRevoke} groupPath=${params.get('groupPath') || null} filter=${apiFilter(params)}
        onClose=${(done) => { setBulk(false); if (done) { setMessage(done); load(); loadCount(); } }} />`}
  </section>`;
}
