// Routes live in the URL's fragment (#/inventory?types=PERSONAL), so every view and filter is a shareable link that
// the server never sees; the token never appears in it.
export function current() {
  const hash = location.hash.replace(/^#/, '') || '/tokens';
  const [path, query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}

export function href(path, params) {
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#${path}${query ? `?${query}` : ''}`;
}

export function navigate(path, params) {
  const next = href(path, params);
  if (location.hash !== next) {
    location.hash = next;
  }
}
