// Shared pieces of the pages: dates, badges, dialogs and the status line.
import { html, useEffect, useRef, useState } from '/lib/htm/preact/standalone.module.js';

export { html };

const DAY = 24 * 60 * 60 * 1000;

export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() + days * DAY).toISOString().slice(0, 10);
}

/** Whole days from today (UTC) to the date, as the server counts expiry. */
export function daysUntil(date) {
  return Math.round((new Date(`${date}T00:00:00Z`) - new Date(`${todayUtc()}T00:00:00Z`)) / DAY);
}

export function Time({ value, empty = 'Never' }) {
  if (!value) return html`<span class="muted">${empty}</span>`;
  return html`<time datetime=${value}>${value.slice(0, 16).replace('T', ' ')}</time>`;
}

/** The expiry date with a badge: "in 5 days", "today", "expired". */
export function Expiry({ date, revoked }) {
  if (!date) return html`<span class="muted">Never</span>`;
  const days = daysUntil(date);
  let badge;
  let tone = 'ok';
  if (revoked) {
    badge = null;
  } else if (days <= 0) {
    badge = 'expired';
    tone = 'bad';
  } else if (days === 1) {
    badge = 'in 1 day';
    tone = 'warn';
  } else {
    badge = `in ${days} days`;
    tone = days <= 7 ? 'warn' : 'ok';
  }
  return html`<time datetime=${date}>${date}</time>${badge && html` <span class=${`badge ${tone}`}>${badge}</span>`}`;
}

export function Scopes({ scopes }) {
  if (!scopes || !scopes.length) return html`<span class="muted">none</span>`;
  return html`<ul class="chips">${scopes.map((s) => html`<li key=${s}>${s}</li>`)}</ul>`;
}

export function Addresses({ ips }) {
  if (!ips || !ips.length) return html`<span class="muted">none</span>`;
  return html`<ul class="plain">${ips.map((ip) => html`<li key=${ip}>${ip}</li>`)}</ul>`;
}

/** A modal <dialog>: the browser traps focus in it and Escape cancels it. */
export function Dialog({ title, onClose, children, id }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const cancel = (e) => {
      e.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, []);
  const headingId = `${id || 'dialog'}-title`;
  return html`<dialog ref=${ref} id=${id} aria-labelledby=${headingId}>
    <h2 id=${headingId}>${title}</h2>
    ${children}
  </dialog>`;
}

/** Asks before a change that cannot be undone. */
export function Confirm({ title, message, action, onConfirm, onClose, busy }) {
  return html`<${Dialog} title=${title} onClose=${onClose} id="confirm-dialog">
    <p>${message}</p>
    <div class="actions">
      <button type="button" class="danger" id="confirm-action" disabled=${busy} onClick=${onConfirm}>${action}</button>
      <button type="button" onClick=${onClose}>Cancel</button>
    </div>
  <//>`;
}

/** Shows a new token value once, with a copy button. */
export function SecretDialog({ title, value, onClose }) {
  const [copied, setCopied] = useState('');
  const input = useRef(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied to the clipboard.');
    } catch (e) {
      input.current.select();
      setCopied('Selected: press Ctrl+C (or ⌘C) to copy.');
    }
  };
  return html`<${Dialog} title=${title} onClose=${onClose} id="secret-dialog">
    <p><strong>Copy it now: this value will not be shown again.</strong> Patrol keeps only its digest.</p>
    <label for="new-token-value">Token value</label>
    <div class="row">
      <input id="new-token-value" ref=${input} readonly value=${value} class="secret" spellcheck=${false}
             onFocus=${(e) => e.target.select()} />
      <button type="button" id="copy-token" onClick=${copy}>Copy</button>
    </div>
    <p role="status" aria-live="polite">${copied}</p>
    <div class="actions"><button type="button" id="secret-done" onClick=${onClose}>I have saved it</button></div>
  <//>`;
}

/** The page's status line, announced to screen readers. */
export function Status({ error, message }) {
  return html`<div class="status" aria-live="polite">
    ${error && html`<p class="error" role="alert" id="error-message">${error}</p>`}
    ${message && html`<p class="notice" id="status-message">${message}</p>`}
  </div>`;
}
