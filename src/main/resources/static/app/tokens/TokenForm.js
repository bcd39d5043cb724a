// The create form of a token type, built from tokenTypes and scopes(tokenType:): scope descriptions as help text,
// the expiry date defaulting to the instance's rule and limited to its maximum.
import { html, useEffect, useState } from '/lib/htm/preact/standalone.module.js';
import { gql } from '../api.js';
import { addDays, todayUtc } from '../ui.js';

const TOKEN_FORM = new URL('./token-form.graphql', import.meta.url);
const ROLES = ['GUEST', 'PLANNER', 'REPORTER', 'DEVELOPER', 'MAINTAINER', 'OWNER'];

export function TokenForm({ tokenType, withRole, onSubmit, busy, idPrefix = 'create' }) {
  const [rule, setRule] = useState(null);
  const [scopes, setScopes] = useState([]);
  const [name, setName] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [chosen, setChosen] = useState([]);
  const [role, setRole] = useState('MAINTAINER');
  const [loadError, setLoadError] = useState('');

  useEffect(() => {
    gql(TOKEN_FORM, { tokenType }).then((data) => {
      const type = data.tokenTypes.find((t) => t.type === tokenType);
      setRule(type);
      setScopes(data.scopes);
      setExpiresAt(type.defaultExpiresAt || '');
    }).catch((e) => setLoadError(e.message));
  }, [tokenType]);

  if (loadError) return html`<p class="error" role="alert">${loadError}</p>`;
  if (!rule) return html`<p class="loading">Loading the form…</p>`;

  const toggle = (scope, on) => setChosen(on ? [...chosen, scope] : chosen.filter((s) => s !== scope));
  const submit = (e) => {
    e.preventDefault();
    onSubmit({ name: name.trim(), scopes: chosen, expiresAt: expiresAt || null, accessLevel: withRole ? role : undefined },
      () => { setName(''); setChosen([]); setExpiresAt(rule.defaultExpiresAt || ''); });
  };
  const id = (s) => `${idPrefix}-${s}`;
  const expiryHelp = rule.maxExpiresAt
    ? `At most ${rule.maxExpiresAt} (the instance's maximum lifetime).${rule.expiryRequired ? ' Required: left empty, it becomes the default.' : ''}`
    : 'Leave empty for a token that does not expire.';

  return html`<form onSubmit=${submit} class="token-form" aria-labelledby=${id('title')}>
    <h2 id=${id('title')}>Add a new ${rule.label}</h2>
    <label for=${id('name')}>Token name</label>
    <input id=${id('name')} value=${name} required maxlength="255" onInput=${(e) => setName(e.target.value)} />
    <label for=${id('expires')}>Expiration date</label>
    <input id=${id('expires')} type="date" value=${expiresAt} min=${addDays(todayUtc(), 1)} max=${rule.maxExpiresAt || undefined}
           required=${rule.expiryRequired} aria-describedby=${id('expires-help')} onInput=${(e) => setExpiresAt(e.target.value)} />
    <p id=${id('expires-help')} class="help">${expiryHelp}</p>
    ${withRole && html`<label for=${id('role')}>Role</label>
      <select id=${id('role')} value=${role} onChange=${(e) => setRole(e.target.value)} aria-describedby=${id('role-help')}>
        ${ROLES.map((r) => html`<option key=${r} value=${r}>${r.charAt(0) + r.slice(1).toLowerCase()}</option>`)}
      </select>
      <p id=${id('role-help')} class="help">The token's bot gets this role; at most your own.</p>`}
    <fieldset>
      <legend>Scopes</legend>
      ${scopes.map((s) => html`<div class="check" key=${s.name}>
        <input type="checkbox" id=${id(`scope-${s.name}`)} value=${s.name} checked=${chosen.includes(s.name)}
               aria-describedby=${id(`scope-${s.name}-help`)} onChange=${(e) => toggle(s.name, e.target.checked)} />
        <label for=${id(`scope-${s.name}`)}>${s.name}${s.adminOnly ? ' (administrators)' : ''}</label>
        <p class="help" id=${id(`scope-${s.name}-help`)}>${s.description}</p>
      </div>`)}
    </fieldset>
    <button type="submit" id=${id('submit')} disabled=${busy}>Create token</button>
  </form>`;
}
