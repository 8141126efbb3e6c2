/**
 * Browser mode: serves the built renderer and the contract over a WebSocket on 127.0.0.1 only. Every request
 * needs the per-launch token (Jupyter style: in the first URL, then an HttpOnly cookie); the Host header must
 * name this server (against DNS rebinding) and a foreign Origin is refused.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import { TOKEN_COOKIE, TOKEN_HEADER, TOKEN_QUERY_PARAM, WEB_ROUTES } from '../../shared/contract/wire.js';
import { toErrorInfo } from '../../shared/model/errors.js';
import type { App } from '../compose.js';
import { attachWebSocketTransport } from '../transport/websocket.js';

export interface WebServerOptions {
  port: number;
  rendererDir: string;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

export async function startWebServer(app: App, options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const tokenBytes = Buffer.from(token);
  const uploadsDir = join(app.config.workspace, 'uploads');
  rmSync(uploadsDir, { recursive: true, force: true });
  const rendererDir = resolve(options.rendererDir);
  let port = options.port;

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** Returns null when the request may proceed, else the status to refuse it with. */
  const refuse = (req: IncomingMessage, url: URL): number | null => {
    if (!allowedHosts().has(req.headers.host ?? '')) return 403;
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return 403;
    const header = req.headers[TOKEN_HEADER];
    const ok = tokenMatches(url.searchParams.get(TOKEN_QUERY_PARAM)) || tokenMatches(typeof header === 'string' ? header : null) || tokenMatches(cookieToken(req));
    return ok ? null : 401;
  };

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    );
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const refusedPage = (res: ServerResponse, status: number) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><meta charset="utf-8"><title>Xinzhi Workbench</title><body style="font-family:sans-serif;padding:2em">` +
        `<h2>${status === 401 ? 'Token required · 需要令牌' : 'Forbidden · 禁止访问'}</h2>` +
        `<p>Open the full URL that <code>xinzhi serve</code> printed, including <code>?token=…</code>.</p>` +
        `<p>请使用 <code>xinzhi serve</code> 打印的完整网址（包括 <code>?token=…</code>）打开。</p></body>`,
    );
  };

  const serveStatic = (res: ServerResponse, pathname: string, setCookie: boolean) => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      if (!existsSync(join(rendererDir, 'index.html'))) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The renderer is not built: run npm run build');
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not found');
      return;
    }
    if (setCookie) res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const name = basename(url.searchParams.get('name') ?? 'upload.csv').replace(/[\0/\\]/g, '_') || 'upload.csv';
    const dir = join(uploadsDir, randomBytes(8).toString('hex'));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    await pipeline(req, createWriteStream(path));
    sendJson(res, 200, { path });
  };

  const handleExport = async (res: ServerResponse, pathname: string) => {
    const versionId = decodeURIComponent(pathname.slice(WEB_ROUTES.exportPrefix.length)).replace(/\.csv$/, '');
    const version = app.services.catalog.getVersion({ versionId });
    const dataset = app.services.catalog.getDataset({ datasetId: version.datasetId });
    const fileName = `${dataset.name}-v${version.number}.csv`;
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      // An ASCII fallback for old clients, the real (perhaps Chinese) name in RFC 5987 form.
      'Content-Disposition': `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    });
    await app.services.catalog.writeCsv(versionId, res);
  };

  const handleReport = (res: ServerResponse, pathname: string) => {
    const reportId = decodeURIComponent(pathname.slice(WEB_ROUTES.reportPrefix.length)).replace(/\.pdf$/, '');
    const { path, record } = app.services.reports.reportFile(reportId);
    const fileName = `${record.kind}-${record.subjectId}-${record.lang}.pdf`;
    res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': String(record.bytes), 'Content-Disposition': `attachment; filename="${fileName}"` });
    createReadStream(path).pipe(res);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    securityHeaders(res);
    const status = refuse(req, url);
    if (status !== null) {
      refusedPage(res, status);
      return;
    }
    const fail = (err: unknown) => {
      if (!res.headersSent) sendJson(res, 400, { ok: false, error: toErrorInfo(err) });
      else res.destroy();
    };
    if (url.pathname === WEB_ROUTES.upload && req.method === 'POST') {
      handleUpload(req, res, url).catch(fail);
    } else if (url.pathname.startsWith(WEB_ROUTES.exportPrefix) && req.method === 'GET') {
      handleExport(res, url.pathname).catch(fail);
    } else if (url.pathname.startsWith(WEB_ROUTES.reportPrefix) && req.method === 'GET') {
      try {
        handleReport(res, url.pathname);
      } catch (err) {
        fail(err);
      }
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      serveStatic(res, url.pathname, tokenMatches(url.searchParams.get(TOKEN_QUERY_PARAM)));
    } else {
      res.writeHead(405);
      res.end();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const detach = attachWebSocketTransport(wss, app.bound, app.events);
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const status = url.pathname === WEB_ROUTES.socket ? refuse(req, url) : 404;
    // Browsers always send Origin on WebSockets: a missing one is a non-browser client, which must use the token.
    if (status !== null || (req.headers.origin === undefined && !tokenMatches(url.searchParams.get(TOKEN_QUERY_PARAM)))) {
      socket.end(`HTTP/1.1 ${status ?? 401} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://127.0.0.1:${port}/?${TOKEN_QUERY_PARAM}=${token}`,
    port,
    token,
    async close() {
      detach();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}
