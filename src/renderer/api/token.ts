/**
 * The per-launch token of browser mode. It arrives once in the page URL (`?token=…`); we keep it in
 * sessionStorage (so a reload in the same tab still works) and take it out of the address bar, so it is not
 * bookmarked, shared in a screenshot or sent as a Referer.
 */
import { TOKEN_QUERY_PARAM } from '../../shared/contract/wire.js';

const STORAGE_KEY = 'xinzhi.token';

export function captureToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(TOKEN_QUERY_PARAM);
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token then lives only for this page load.
    }
    url.searchParams.delete(TOKEN_QUERY_PARAM);
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    memoryToken = fromUrl;
    return fromUrl;
  }
  return readToken();
}

let memoryToken: string | null = null;

export function readToken(): string | null {
  if (memoryToken) return memoryToken;
  try {
    memoryToken = window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    memoryToken = null;
  }
  return memoryToken;
}
