// Reports over the inventory: expiry charts (inventoryStats), over-privileged tokens, and what offboarding a user
// would affect.
import { html, useEffect, useState } from '/lib/htm/preact/standalone.module.js';
import { gql } from '../api.js';
import { navigate } from '../route.js';
import { addDays, Scopes, Status, Time, todayUtc } from '../ui.js';
import { Bars, ExpiryHistogram, STATE_COLORS } from './charts.js';

const STATS = new URL('./inventory-stats.graphql', import.meta.url);
const OVER_PRIVILEGED = new URL('./over-privileged.graphql', import.meta.url);
const OFFBOARDING = new URL('./offboarding.graphql', import.meta.url);
const RANGE_DAYS = { DAY: 90, WEEK: 364, MONTH: 730 };

function CredentialList({ id, caption, rows }) {
  return html`<div class="table-wrap"><table id=${id}>
    <caption>${caption} (${rows.length})</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Where</th><th scope="col">Last used</th><th scope="col">From</th></tr></thead>
    <tbody>${rows.length === 0 && html`<tr><td colspan="5" class="muted">None.</td></tr>`}
      ${rows.map((c) => html`<tr key=${c.id}><th scope="row">${c.name}</th><td>${c.type}</td><td>${c.resourcePath || ''}</td>
        <td><${Time} value=${c.lastUsedAt} /></td><td>${c.lastUsedIps.join(', ')}</td></tr>`)}</tbody>
  </table></div>`;
}

export function Reports({ params, path }) {
  const groupPath = params.get('groupPath') || '';
  const interval = params.get('interval') || 'WEEK';
  const windowDays = Number(params.get('windowDays') || 90);
  const username = params.get('username') || '';
  const [draft, setDraft] = useState({ groupPath, interval, windowDays: String(windowDays), username });
  const [stats, setStats] = useState(null);
  const [over, setOver] = useState(null);
  const [impact, setImpact] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    setDraft({ groupPath, interval, windowDays: String(windowDays), username });
    const from = todayUtc();
    const scope = { groupPath: groupPath || null };
    setStats(null);
    setOver(null);
    setError('');
    gql(STATS, { ...scope, interval, from, to: addDays(from, RANGE_DAYS[interval] || 364) })
      .then((d) => setStats(d.inventoryStats)).catch((e) => setError(e.message));
    gql(OVER_PRIVILEGED, { ...scope, windowDays }).then((d) => setOver(d.overPrivilegedTokens))
      .catch((e) => setError(e.message));
  }, [groupPath, interval, windowDays]);

  useEffect(() => {
    setImpact(null);
    if (username) gql(OFFBOARDING, { username }).then((d) => setImpact(d.offboardingImpact)).catch((e) => setError(e.message));
  }, [username]);

  const apply = (e) => {
    e.preventDefault();
    const next = {};
    if (draft.groupPath.trim()) next.groupPath = draft.groupPath.trim();
    if (draft.interval !== 'WEEK') next.interval = draft.interval;
    if (draft.windowDays && draft.windowDays !== '90') next.windowDays = draft.windowDays;
    if (draft.username.trim()) next.username = draft.username.trim();
    navigate(path, next);
  };
  const set = (name) => (e) => setDraft({ ...draft, [name]: e.target.value });

  return html`<section aria-labelledby="reports-title">
    <h1 id="reports-title">Reports</h1>
    <form class="filters" id="report-settings" onSubmit=${apply}>
      <div class="field"><label for="report-group">Top-level group</label>
        <input id="report-group" value=${draft.groupPath} onInput=${set('groupPath')} aria-describedby="report-group-help" />
        <p class="help" id="report-group-help">Empty: the whole instance (administrators).</p></div>
      <div class="field"><label for="report-interval">Expiry histogram by</label>
        <select id="report-interval" value=${draft.interval} onChange=${set('interval')}>
          <option value="DAY">Day (next 90 days)</option><option value="WEEK">Week (next year)</option>
          <option value="MONTH">Month (next two years)</option></select></div>
      <div class="field"><label for="report-window">Over-privileged: days of usage to look at</label>
        <input id="report-window" type="number" min="1" max="3650" value=${draft.windowDays} onInput=${set('windowDays')} /></div>
      <div class="field"><label for="report-username">Offboarding impact of user</label>
        <input id="report-username" value=${draft.username} onInput=${set('username')} placeholder="username" /></div>
      <div class="actions"><button type="submit" id="report-apply">Show</button></div>
    </form>
    <${Status} error=${error} />
    ${stats ? html`
      <p class="summary" id="report-summary">${`${stats.expiringWithin} active credentials expire within 30 days; ${stats.withoutExpiry} never expire; ${stats.neverUsed} were never used.`}</p>
      <div class="charts">
        <${ExpiryHistogram} buckets=${stats.expiryHistogram} interval=${interval} />
        <${Bars} id="busiest-dates" caption="The ten busiest expiry dates"
          rows=${stats.topExpiryDates.map((d) => ({ label: d.date, value: d.count }))} />
        <${Bars} id="type-state" caption="Credentials by type and state"
          rows=${stats.countsByTypeAndState.filter((c) => c.count > 0).map((c) => ({
            label: `${c.type.toLowerCase().replaceAll('_', ' ')} · ${c.state.toLowerCase()}`, value: c.count, color: STATE_COLORS[c.state] }))} />
      </div>` : !error && html`<p class="loading">Loading charts…</p>`}
    <h2>Over-privileged tokens</h2>
    ${over && html`<div class="table-wrap"><table id="over-privileged">
      <caption>Active tokens with scopes unused in the last ${windowDays} days (${over.length})</caption>
      <thead><tr><th scope="col">Token</th><th scope="col">Owner</th><th scope="col">Granted</th><th scope="col">Used</th><th scope="col">Suggested</th><th scope="col">Unused</th></tr></thead>
      <tbody>${over.length === 0 && html`<tr><td colspan="6" class="muted">None.</td></tr>`}
        ${over.map((o) => html`<tr key=${o.credential.id}><th scope="row">${o.credential.name}</th>
          <td>${o.credential.owner ? o.credential.owner.username : ''}</td><td><${Scopes} scopes=${o.grantedScopes} /></td>
          <td><${Scopes} scopes=${o.usedScopes} /></td><td><${Scopes} scopes=${o.suggestedScopes} /></td>
          <td><${Scopes} scopes=${o.unusedScopes} /></td></tr>`)}</tbody>
    </table></div>`}
    <h2>Offboarding impact</h2>
    ${!username && html`<p class="muted">Name a user above to see what blocking or removing them would affect.</p>`}
    ${impact && html`<div id="offboarding">
      <p>Blocking <strong>${impact.user.username}</strong> (${impact.user.name}) would stop ${impact.breaking.length} credentials;
         ${impact.createdByUser.length} tokens they created keep working and need a new owner.</p>
      <${CredentialList} id="offboarding-breaking" caption="Would stop working" rows=${impact.breaking} />
      <${CredentialList} id="offboarding-created" caption="Created by them, keep working" rows=${impact.createdByUser} />
    </div>`}
  </section>`;
}
