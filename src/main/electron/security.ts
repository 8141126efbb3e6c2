/**
 * The desktop app's security baseline (DESIGN.md §9) as plain data and predicates — no electron import, so the unit
 * tests can pin every value and a change to any of them fails a test.
 */
import { posix, resolve, sep } from 'node:path';

/** The UI is served from `app://xinzhi/…`, never from file:// (which would grant the page file-system reach). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'xinzhi';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Privileges of the `app:` scheme. `standard` + `secure` give it a real origin and a secure context; fetch works for
 * same-origin assets. Deliberately absent: `bypassCSP` (our CSP must apply) and `corsEnabled` (which would let other
 * origins read our files), `allowServiceWorkers` (nothing to cache offline — the files are local).
 */
export const APP_SCHEME_PRIVILEGES = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
});

/**
 * BrowserWindow `webPreferences`, Electron's security checklist: the renderer is a sandboxed web page with no Node,
 * in its own JavaScript world, talking to main only through the preload's narrow bridge.
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
});

/** The full `webPreferences` of our window: the fixed baseline plus the preload path; devtools only in development. */
export function webPreferencesFor(options: { preload: string; isDev: boolean }): typeof SECURE_WEB_PREFERENCES & {
  preload: string;
  devTools: boolean;
} {
  return { ...SECURE_WEB_PREFERENCES, preload: options.preload, devTools: options.isDev };
}

/**
 * Content-Security-Policy sent with every `app://` response. Scripts only from our own origin (no inline, no eval);
 * styles allow inline because Mantine injects its CSS variables in a <style> tag and uses style attributes; images
 * and fonts may be data:/blob: (chart exports, embedded fonts); nothing may be framed, framed-in, posted or based
 * elsewhere. The renderer reaches the services through the IPC bridge, so no network origin is allowed at all.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'child-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
});

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/** Headers on every response of the `app:` protocol (the CSP, plus no MIME sniffing, no referrer, no embedding). */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
});

/**
 * The only places `shell.openExternal` may send the user: https pages under these prefixes. Everything else —
 * file:, javascript:, data:, custom schemes, plain http, other hosts — is refused, because a compromised renderer
 * could otherwise use openExternal to launch local programs.
 */
export const EXTERNAL_URL_ALLOW_LIST: readonly string[] = Object.freeze([
  'https://www.apache.org/licenses/',
  // Sources of the public datasets the docs and reports cite.
  'https://archive.ics.uci.edu/dataset/',
]);

export function isAllowedExternalUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  return EXTERNAL_URL_ALLOW_LIST.some((prefix) => {
    const allowed = new URL(prefix);
    return parsed.host === allowed.host && parsed.pathname.startsWith(allowed.pathname);
  });
}

/** True only for a URL of our own UI (`app://xinzhi/…`): the one origin whose IPC messages main will answer. */
export function isTrustedSenderUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Electron fuses flipped in the packaged binary (electron-builder.yml `electronFuses` must match — a test checks):
 * the app cannot be turned into a generic Node runtime (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect), loads code
 * only from its integrity-checked app.asar, encrypts cookies, and gives file:// no extra privileges.
 */
export const ELECTRON_FUSES = Object.freeze({
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
});

const MIME_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
});

export function mimeTypeFor(filePath: string): string {
  const dot = filePath.lastIndexOf('.');
  const ext = dot >= 0 ? filePath.slice(dot).toLowerCase() : '';
  return MIME_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Maps an `app://xinzhi/<path>` request to a file under `rootDir`, or null when it must be refused: another scheme
 * or host, an encoded slash or backslash, a NUL, a dot segment, a colon, or anything that would resolve outside the root.
 * `/` serves index.html. This is the lexical check; the protocol handler also compares real paths (symlinks).
 */
export function resolveAppRequestPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '' || url.username || url.password) {
    return null;
  }
  const rawPath = url.pathname;
  // Encoded separators and NULs have no business in an asset path; refuse them before decoding.
  if (/%2f|%5c|%00/i.test(rawPath) || rawPath.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  // `:` would let a segment name a drive (C:) or an alternate data stream on Windows.
  if (segments.some((s) => s === '.' || s === '..' || s.includes(':'))) return null;
  const relative = segments.length === 0 ? 'index.html' : posix.join(...segments);
  const root = resolve(rootDir);
  const target = resolve(root, ...relative.split('/'));
  if (target !== root && !target.startsWith(root + sep)) return null;
  if (target === root) return null;
  return target;
}
