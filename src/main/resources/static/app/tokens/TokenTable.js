// A list of tokens with rotate and revoke, each asked for first; a rotated token's new value is shown once.
import { html, useState } from '/lib/htm/preact/standalone.module.js';
import { gql, payload } from '../api.js';
import { Addresses, Confirm, Expiry, Scopes, SecretDialog, Time } from '../ui.js';

const ROTATE = new URL('./token-rotate.graphql', import.meta.url);
const REVOKE = new URL('./token-revoke.graphql', import.meta.url);

export function TokenTable({ id, caption, connection, secret, setSecret, onChanged, onError, showRole }) {
  const [asking, setAsking] = useState(null);
  const [busy, setBusy] = useState(false);

  const act = async () => {
    const { kind, token } = asking;
    setBusy(true);
    try {
      if (kind === 'rotate') {
        const result = payload((await gql(ROTATE, { id: token.id })).accessTokenRotate);
        setSecret({ title: `New value of “${token.name}”`, value: result.token });
        onChanged(`Rotated “${token.name}”: the old value no longer works.`);
      } else {
        payload((await gql(REVOKE, { id: token.id })).accessTokenRevoke);
        onChanged(`Revoked “${token.name}”.`);
      }
    } catch (e) {
      onError(e.message);
    } finally {
      setBusy(false);
      setAsking(null);
    }
  };

  if (!connection) return html`<p class="loading">Loading tokens…</p>`;
  return html`<div class="table-wrap">
    <table id=${id}>
      <caption>${caption} (${connection.count})</caption>
      <thead><tr>
        <th scope="col">Name</th>${showRole && html`<th scope="col">Role</th>`}<th scope="col">Scopes</th><th scope="col">Created</th>
        <th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Addresses</th>
        <th scope="col"><span class="sr-only">Actions</span></th>
      </tr></thead>
      <tbody>
        ${connection.nodes.length === 0 && html`<tr><td colspan="8" class="muted">No tokens.</td></tr>`}
        ${connection.nodes.map((t) => html`<tr key=${t.id} data-token-id=${t.id}>
          <th scope="row" class="name">${t.name}<div class="muted mono">${t.displayPrefix}…</div></th>
          ${showRole && html`<td>${t.accessLevel}</td>`}
          <td><${Scopes} scopes=${t.scopes} /></td>
          <td><${Time} value=${t.createdAt} /></td>
          <td><${Expiry} date=${t.expiresAt} revoked=${t.revoked} />${t.revoked && html` <span class="badge bad">revoked</span>`}</td>
          <td><${Time} value=${t.lastUsedAt} /></td>
          <td><${Addresses} ips=${t.lastUsedIps} /></td>
          <td class="actions">${t.active && html`
            <button type="button" class="rotate" aria-label=${`Rotate ${t.name}`} onClick=${() => setAsking({ kind: 'rotate', token: t })}>Rotate</button>
            <button type="button" class="revoke danger" aria-label=${`Revoke ${t.name}`} onClick=${() => setAsking({ kind: 'revoke', token: t })}>Revoke</button>`}
          </td>
        </tr>`)}
      </tbody>
    </table>
    ${asking && html`<${Confirm} busy=${busy} onClose=${() => setAsking(null)} onConfirm=${act}
      title=${asking.kind === 'rotate' ? `Rotate “${asking.token.name}”?` : `Revoke “${asking.token.name}”?`}
      action=${asking.kind === 'rotate' ? 'Rotate' : 'Revoke'}
      message=${asking.kind === 'rotate'
        ? 'A new value replaces this one at once; whatever uses the old value stops working.'
        : 'Whatever uses this token stops working at once. This cannot be undone.'} />`}
    ${secret && html`<${SecretDialog} title=${secret.title} value=${secret.value} onClose=${() => setSecret(null)} />`}
  </div>`;
}
