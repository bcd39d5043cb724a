// My tokens: the signed-in user's personal access tokens; create, rotate and revoke.
import { html, useEffect, useState } from '/lib/htm/preact/standalone.module.js';
import { gql, payload } from '../api.js';
import { TokenForm } from './TokenForm.js';
import { TokenTable } from './TokenTable.js';
import { Status } from '../ui.js';

const MY_TOKENS = new URL('./my-tokens.graphql', import.meta.url);
const CREATE = new URL('./token-create.graphql', import.meta.url);

export function MyTokens() {
  const [state, setState] = useState('ACTIVE');
  const [tokens, setTokens] = useState(null);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState(null);

  const load = () => gql(MY_TOKENS, { state }).then((d) => setTokens(d.currentUser.personalAccessTokens))
    .catch((e) => setError(e.message));
  useEffect(() => { load(); }, [state]);

  const create = async (input, reset) => {
    setBusy(true);
    setError('');
    try {
      const result = payload((await gql(CREATE, { input: { name: input.name, scopes: input.scopes, expiresAt: input.expiresAt } }))
        .personalAccessTokenCreate);
      reset();
      setSecret({ title: `Your new token “${result.accessToken.name}”`, value: result.token });
      setMessage(`Created “${result.accessToken.name}”.`);
      load();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  };

  return html`<section aria-labelledby="my-tokens-title">
    <h1 id="my-tokens-title">My tokens</h1>
    <${Status} error=${error} message=${message} />
    <${TokenForm} tokenType="PERSONAL" onSubmit=${create} busy=${busy} />
    <div class="row">
      <label for="token-state">Show</label>
      <select id="token-state" value=${state} onChange=${(e) => setState(e.target.value)}>
        <option value="ACTIVE">Active tokens</option>
        <option value="INACTIVE">Inactive tokens (revoked or expired)</option>
      </select>
    </div>
    <${TokenTable} caption=${state === 'ACTIVE' ? 'Active personal access tokens' : 'Inactive personal access tokens'}
      id="my-tokens" connection=${tokens} secret=${secret} setSecret=${setSecret}
      onChanged=${(m) => { setMessage(m); setError(''); load(); }} onError=${setError} />
  </section>`;
}
