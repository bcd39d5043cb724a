// Project and group access tokens, for the project's Maintainers and Owners and the group's Owners: the list, and a
// create form with the role picker. The resource is named by its full path, kept in the URL.
import { html, useEffect, useState } from '/lib/htm/preact/standalone.module.js';
import { gql, payload } from '../api.js';
import { navigate } from '../route.js';
import { TokenForm } from '../tokens/TokenForm.js';
import { TokenTable } from '../tokens/TokenTable.js';
import { Status } from '../ui.js';

const KINDS = {
  project: {
    label: 'Project', type: 'PROJECT', list: new URL('./project-tokens.graphql', import.meta.url),
    create: new URL('./project-token-create.graphql', import.meta.url), field: 'projectAccessTokenCreate', idField: 'projectId',
  },
  group: {
    label: 'Group', type: 'GROUP', list: new URL('./group-tokens.graphql', import.meta.url),
    create: new URL('./group-token-create.graphql', import.meta.url), field: 'groupAccessTokenCreate', idField: 'groupId',
  },
};

export function ResourceTokens({ params, path }) {
  const kind = params.get('kind') === 'group' ? 'group' : 'project';
  const fullPath = params.get('path') || '';
  const [draftKind, setDraftKind] = useState(kind);
  const [draftPath, setDraftPath] = useState(fullPath);
  const [resource, setResource] = useState(null);
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState(null);
  const k = KINDS[kind];

  const load = () => {
    if (!fullPath) { setResource(null); return; }
    gql(k.list, { fullPath, state: 'ACTIVE' }).then((d) => {
      const found = d[kind];
      setResource(found);
      setError(found ? '' : `${k.label} ${fullPath} does not exist or you cannot see it.`);
    }).catch((e) => { setResource(null); setError(e.message); });
  };
  useEffect(load, [kind, fullPath]);

  const create = async (input, reset) => {
    setBusy(true);
    setError('');
    try {
      const result = payload((await gql(k.create, { input: {
        [k.idField]: resource.id, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt, accessLevel: input.accessLevel,
      } }))[k.field]);
      reset();
      setSecret({ title: `Your new ${kind} token “${result.accessToken.name}”`, value: result.token });
      load();
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  };

  return html`<section aria-labelledby="resource-title">
    <h1 id="resource-title">Project and group tokens</h1>
    <form class="row" onSubmit=${(e) => { e.preventDefault(); navigate(path, { kind: draftKind, path: draftPath.trim() }); }}>
      <label for="resource-kind">Kind</label>
      <select id="resource-kind" value=${draftKind} onChange=${(e) => setDraftKind(e.target.value)}>
        <option value="project">Project</option><option value="group">Group</option>
      </select>
      <label for="resource-path">Full path</label>
      <input id="resource-path" value=${draftPath} placeholder="acme/api" onInput=${(e) => setDraftPath(e.target.value)} required />
      <button type="submit" id="resource-open">Open</button>
    </form>
    <${Status} error=${error} message=${message} />
    ${resource && html`
      <h2 class="sub">${k.label} ${resource.fullPath}</h2>
      <${TokenForm} tokenType=${k.type} withRole=${true} onSubmit=${create} busy=${busy} idPrefix="resource" />
      <${TokenTable} id="resource-tokens" caption=${`Active ${kind} access tokens`} connection=${resource.accessTokens}
        showRole=${true} secret=${secret} setSecret=${setSecret}
        onChanged=${(m) => { setMessage(m); setError(''); load(); }} onError=${setError} />`}
  </section>`;
}
