// Sign in by pasting a token; the API's refusal (expired, revoked, banned, insufficient scope) is shown as it says it.
import { html, useState } from '/lib/htm/preact/standalone.module.js';
import { gql } from '../api.js';
import { signIn } from '../session.js';
import { Status } from '../ui.js';

const CURRENT_USER = new URL('./current-user.graphql', import.meta.url);

export function SignIn({ notice, onSignedIn }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    const presented = value.trim();
    if (!presented) {
      setError('Paste a token first.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const data = await gql(CURRENT_USER, {}, presented);
      signIn(presented);
      setValue('');
      onSignedIn(data.currentUser);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return html`<section aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Patrol</h1>
    <p>Paste a personal access token with the <code>api</code> scope (or <code>read_api</code> to look only).
       It stays in this browser tab until you sign out or close the tab.</p>
    <${Status} error=${error} message=${notice} />
    <form onSubmit=${submit} method="post" action="#">
      <label for="token-input">Access token</label>
      <input id="token-input" type="password" autocomplete="off" spellcheck=${false} value=${value}
             onInput=${(e) => setValue(e.target.value)} aria-describedby="token-help" required />
      <p id="token-help" class="help">The first start wrote the administrator's token to <code>data/initial_root_token</code>.</p>
      <button type="submit" id="sign-in" disabled=${busy}>Sign in</button>
    </form>
  </section>`;
}
