/**
 * The privileged `app://xinzhi/` scheme that serves the built renderer (dist/renderer) with the strict CSP on every
 * response, refusing any path that would leave that folder.
 */
import { protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, sep } from 'node:path';
import { APP_RESPONSE_HEADERS, APP_SCHEME, APP_SCHEME_PRIVILEGES, mimeTypeFor, resolveAppRequestPath } from './security.js';

/** Must run before the app's `ready` event: privileges can only be granted at start-up. */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Serves files of `rootDir` on `app://xinzhi/…`; call after `ready`. Client-side routes fall back to index.html. */
export function handleAppProtocol(rootDir: string): void {
  // Resolved once: the real root, so a symlink inside dist/renderer cannot point the handler elsewhere.
  const realRoot = realpath(rootDir).catch(() => rootDir);

  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    let target = resolveAppRequestPath(rootDir, request.url);
    if (!target) return textResponse(404, 'Not found');
    // A path without an extension is a client-side route (history API): serve the app shell.
    if (!(await isFile(target)) && extname(target) === '') target = resolveAppRequestPath(rootDir, new URL('/', request.url).href);
    if (!target || !(await isFile(target))) return textResponse(404, 'Not found');
    try {
      const [root, real] = await Promise.all([realRoot, realpath(target)]);
      if (!real.startsWith(root + sep)) return textResponse(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(real);
      return new Response(body, { status: 200, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': mimeTypeFor(real) } });
    } catch {
      return textResponse(404, 'Not found');
    }
  });
}
