// Bulk revoke: a dry run shows exactly which tokens and how many; confirming revokes exactly those, or, if the
// estate changed in between, nothing (the API's CONFLICT, shown as it says it, with a fresh preview on offer).
import { html, useEffect, useState } from '/lib/htm/preact/standalone.module.js';
import { gql } from '../api.js';
import { Dialog } from '../ui.js';

const BULK = new URL('./bulk-revoke.graphql', import.meta.url);

export function BulkRevoke({ groupPath, filter, onClose }) {
  const [preview, setPreview] = useState(null);
  const [error, setError] = useState('');
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);

  const dryRun = async () => {
    setPreview(null);
    setError('');
    setConflict(false);
    try {
      const result = (await gql(BULK, { input: { groupPath, filter, dryRun: true } })).credentialsBulkRevoke;
      if (result.errors.length) setError(result.errors.join(' '));
      setPreview(result);
    } catch (e) {
      setError(e.message);
    }
  };
  useEffect(() => { dryRun(); }, []);

  const confirm = async () => {
    setBusy(true);
    try {
      const result = (await gql(BULK, { input: { groupPath, filter, dryRun: false, confirmation: preview.confirmation } }))
        .credentialsBulkRevoke;
      if (result.errors.length) {
        setError(result.errors.join(' '));
      } else {
        onClose(`Revoked ${result.revokedCount} tokens; their owners are notified.`);
      }
    } catch (e) {
      setError(e.message);
      setConflict(e.code === 'CONFLICT');
    } finally {
      setBusy(false);
    }
  };

  return html`<${Dialog} title="Revoke every matching token" id="bulk-dialog" onClose=${() => onClose(null)}>
    ${error && html`<p class="error" role="alert" id="bulk-error">${error}</p>`}
    ${!preview && !error && html`<p class="loading" aria-live="polite">Finding the tokens this filter selects…</p>`}
    ${preview && html`
      <p id="bulk-count" aria-live="polite"><strong>${preview.count}</strong> ${preview.count === 1 ? 'token' : 'tokens'} would be revoked${preview.count ? ':' : '.'}</p>
      ${preview.count > 0 && html`<div class="table-wrap bulk-list"><table id="bulk-list">
        <caption class="sr-only">Tokens that would be revoked</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Owner</th><th scope="col">Expires</th></tr></thead>
        <tbody>${preview.credentials.map((c) => html`<tr key=${c.id}><th scope="row">${c.name}</th><td>${c.type}</td>
          <td>${c.owner ? c.owner.username : ''}</td><td>${c.expiresAt || 'Never'}</td></tr>`)}</tbody>
      </table></div>`}`}
    <div class="actions">
      ${preview && preview.count > 0 && !conflict && html`<button type="button" class="danger" id="bulk-confirm" disabled=${busy}
          onClick=${confirm}>Revoke these ${preview.count} ${preview.count === 1 ? 'token' : 'tokens'}</button>`}
      ${conflict && html`<button type="button" id="bulk-preview-again" onClick=${dryRun}>Preview again</button>`}
      <button type="button" id="bulk-cancel" onClick=${() => onClose(null)}>Cancel</button>
    </div>
  <//>`;
}
