// The access token `deskpilot serve` printed in its URL; kept per tab so a reload without it still works.
const KEY = 'deskpilot.token';

interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The token from ?token=, remembered in storage; or the remembered one; or null. */
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
