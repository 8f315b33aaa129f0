// The access token. `deskpilot serve` swaps the printed link's ?token= for an HttpOnly cookie and redirects,
// so the page normally never sees it and calls go with the cookie. A URL that still carries one (served
// some other way) gives it up here: kept for this tab, and taken out of the address bar and history.
const KEY = 'deskpilot.token';

interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The token from ?token=, remembered in storage; or the remembered one; or null (the cookie serves). */
export function readToken(search: string, storage: TokenStorage | undefined): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    try {
      storage?.setItem(KEY, fromUrl);
    } catch {
      // Storage may be disabled: the token still works for this page.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(KEY) || null;
  } catch {
    return null;
  }
}

/** The same URL without ?token= (path, other parameters and hash kept), or null when it has none. */
export function withoutToken(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has('token')) return null;
  url.searchParams.delete('token');
  return url.pathname + url.search + url.hash;
}
