// The signed-in token lives only in this tab's sessionStorage: never in storage that outlives the tab, a cookie
// or a URL.
const KEY = 'patrol.token';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signIn(value) {
  sessionStorage.setItem(KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}
