// The app shell: who is signed in, the navigation, and the page for the URL's fragment.
import { html, render, useEffect, useState } from '/lib/htm/preact/standalone.module.js';
import { gql } from './api.js';
import { current } from './route.js';
import { signOut, token } from './session.js';
import { SignIn } from './signin/SignIn.js';
import { MyTokens } from './tokens/MyTokens.js';
import { ResourceTokens } from './resource-tokens/ResourceTokens.js';
import { Inventory } from './inventory/Inventory.js';
import { Reports } from './reports/Reports.js';
import { Status } from './ui.js';

const CURRENT_USER = new URL('./signin/current-user.graphql', import.meta.url);

const PAGES = [
  { path: '/tokens', label: 'My tokens', page: MyTokens },
  { path: '/resource-tokens', label: 'Project and group tokens', page: ResourceTokens },
  { path: '/inventory', label: 'Credentials inventory', page: Inventory },
  { path: '/reports', label: 'Reports', page: Reports },
];

function useRoute() {
  const [route, setRoute] = useState(current());
  useEffect(() => {
    const changed = () => setRoute(current());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function App() {
  const route = useRoute();
  const [user, setUser] = useState(null);
  const [checking, setChecking] = useState(Boolean(token()));
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (!token()) return;
    gql(CURRENT_USER).then((data) => setUser(data.currentUser)).catch((e) => setNotice(e.message))
      .finally(() => setChecking(false));
  }, []);

  useEffect(() => {
    const expired = (e) => {
      signOut();
      setUser(null);
      setNotice(e.detail);
    };
    window.addEventListener('patrol:signed-out', expired);
    return () => window.removeEventListener('patrol:signed-out', expired);
  }, []);

  useEffect(() => {
    const page = PAGES.find((p) => p.path === route.path);
    document.title = user && page ? `${page.label} · Patrol` : 'Sign in · Patrol';
  }, [route.path, user]);

  const leave = () => {
    signOut();
    setUser(null);
    setNotice('You are signed out; the token was removed from this tab.');
  };

  if (checking) return html`<p class="loading">Signing in…</p>`;
  if (!user) {
    return html`<main id="main" class="narrow"><${SignIn} notice=${notice} onSignedIn=${(u) => { setNotice(''); setUser(u); }} /></main>`;
  }
  const page = PAGES.find((p) => p.path === route.path) || PAGES[0];
  const Page = page.page;
  return html`
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>Skip to content</a>
    <header class="top">
      <span class="brand">Patrol</span>
      <nav aria-label="Pages">
        <ul>
          ${PAGES.map((p) => html`<li key=${p.path}>
            <a href=${`#${p.path}`} aria-current=${p === page ? 'page' : undefined}>${p.label}</a></li>`)}
        </ul>
      </nav>
      <span class="who">Signed in as <strong id="current-user">${user.username}</strong>${user.admin ? ' (administrator)' : ''}</span>
      <button type="button" id="sign-out" onClick=${leave}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      <${Page} user=${user} params=${route.params} path=${route.path} />
    </main>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
