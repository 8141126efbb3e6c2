// The contract over every headless transport: in-process and the browser-mode WebSocket (driven by the
// renderer's own WebSocketTransport) give the same results; bad payloads, missing tokens, foreign origins are refused.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { contract, createClient, type Api } from '../../src/shared/contract/index.js';
import { startWebServer, type WebServer } from '../../src/main/web/server.js';
import { WebSocketTransport } from '../../src/renderer/api/ws-transport.js';
import { dataset, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';
import type { Job } from '../../src/shared/model/jobs.js';
import type { ImportResult } from '../../src/shared/model/catalog.js';

let t: TestApp;
let server: WebServer;
let wsApi: Api;
let transport: WebSocketTransport;
const tmp = tempDir();

function httpGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function tryWebSocket(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new NodeWebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

beforeAll(async () => {
  t = await openTestApp();
  server = await startWebServer(t.app, { port: 0, rendererDir: join(repoRoot, 'dist', 'renderer') });
  const origin = `http://127.0.0.1:${server.port}`;
  // The renderer's transport expects a browser WebSocket: give it ws's, sending the page's Origin like a browser.
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends NodeWebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  };
  transport = new WebSocketTransport(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  wsApi = createClient(contract, transport);
});

afterAll(async () => {
  await server.close();
  await t.close();
  tmp.remove();
});

describe('contract parity: in-process and WebSocket', () => {
  it('imports over the socket with progress events, and both transports then read the same results', async () => {
    const updates: Job[] = [];
    const off = wsApi.jobs.onDidUpdate((job) => updates.push(job));
    const { jobId } = await wsApi.catalog.importFile({ path: dataset('adult', 'adult_all.csv') });
    const job = await t.app.jobs.wait(jobId);
    await new Promise((r) => setTimeout(r, 200));
    off();
    expect(job.state).toBe('succeeded');
    expect(updates.some((u) => u.id === jobId && u.state === 'running')).toBe(true);
    expect(updates.at(-1)?.state).toBe('succeeded');
    const { versionId, datasetId } = job.result as ImportResult;

    const calls: [string, (api: Api) => Promise<unknown>][] = [
      ['listDatasets', (api) => api.catalog.listDatasets({})],
      ['getDataset', (api) => api.catalog.getDataset({ datasetId })],
      ['getVersion', (api) => api.catalog.getVersion({ versionId })],
      ['queryRows page', (api) => api.catalog.queryRows({ versionId, offset: 48_000, limit: 50 })],
      ['queryRows sorted', (api) => api.catalog.queryRows({ versionId, sort: { column: 'age', direction: 'desc' }, limit: 20 })],
      ['queryRows filtered', (api) => api.catalog.queryRows({ versionId, filters: [{ column: 'sex', op: 'eq', value: 'Female' }], search: 'Doctorate', limit: 20 })],
      ['getJob', (api) => api.jobs.getJob({ jobId })],
      ['listEntries', (api) => api.audit.listEntries({})],
      ['verifyChain', (api) => api.audit.verifyChain({})],
      ['getInfo', (api) => api.system.getInfo({})],
    ];
    for (const [name, call] of calls) {
      expect(await call(wsApi), name).toEqual(await call(t.api));
    }
  });

  it('refuses invalid payloads with E_INVALID_INPUT and the zod path, on both transports', async () => {
    for (const api of [t.api, wsApi]) {
      await expect(api.catalog.queryRows({ versionId: 'x', limit: -5 })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', params: { path: 'limit' } });
      await expect(api.catalog.importFile({ path: '' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', params: { path: 'path' } });
      await expect(api.catalog.importFile({ path: 'a.csv', encoding: 'latin9' as never })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', params: { path: 'encoding' } });
      await expect(api.catalog.getVersion({ versionId: 'ver_missing' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    }
    const raw = await transport.invoke('catalog.dropEverything', {});
    expect(raw).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_PROCEDURE' } });
    const raw2 = await transport.invoke('toString', {});
    expect(raw2).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_PROCEDURE' } });
  });

  it('answers a malformed socket message with an error and keeps serving', async () => {
    const ws = new NodeWebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
    await new Promise((r) => ws.on('open', r));
    const reply = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString())));
    ws.send(JSON.stringify({ type: 'invoke', id: 7, name: 42 }));
    expect(JSON.parse(await reply)).toMatchObject({ type: 'result', id: 7, result: { ok: false, error: { code: 'E_INVALID_INPUT' } } });
    const closed = new Promise<number>((r) => ws.once('close', (code: number) => r(code)));
    ws.send('not json {');
    expect(await closed).toBe(1003);
    expect((await wsApi.system.getInfo({})).host).toBe('cli');
  });
});

describe('browser-mode security', () => {
  it('refuses pages, uploads, exports and sockets without the token', async () => {
    expect((await httpGet('/')).status).toBe(401);
    expect((await httpGet('/assets/index.js')).status).toBe(401);
    expect((await httpGet(`/api/export/x.csv`)).status).toBe(401);
    expect((await httpGet(`/?token=${'0'.repeat(server.token.length)}`)).status).toBe(401);
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/ws`, `http://127.0.0.1:${server.port}`)).toBe(401);
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/ws?token=wrong`, `http://127.0.0.1:${server.port}`)).toBe(401);
  });

  it('refuses a foreign Origin and a foreign Host even with the token', async () => {
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, 'http://evil.example')).toBe(403);
    expect((await httpGet(`/?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await httpGet(`/?token=${server.token}`, { host: 'evil.example' })).status).toBe(403);
  });

  it('serves the app with the token, sets an HttpOnly cookie and a CSP, and accepts the cookie afterwards', async () => {
    const first = await httpGet(`/?token=${server.token}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<div id="root"');
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(String(first.headers['content-security-policy'])).toContain("default-src 'self'");
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect((await httpGet('/', { cookie })).status).toBe(200);
  });

  it('uploads a file over HTTP for import and exports a version as CSV', async () => {
    const csv = 'a,b\n1,你好\n2,"x,y"\n';
    const uploaded = await new Promise<{ path: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/upload?name=small.csv', headers: { host: `127.0.0.1:${server.port}`, 'x-xinzhi-token': server.token } },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(JSON.parse(body) as { path: string }));
        },
      );
      req.on('error', reject);
      req.end(csv);
    });
    expect(uploaded.path).toContain(join(t.workspace, 'uploads'));
    const { jobId } = await wsApi.catalog.importFile({ path: uploaded.path });
    const job = await t.app.jobs.wait(jobId);
    const { versionId } = job.result as ImportResult;
    const exported = await httpGet(`/api/export/${versionId}.csv?token=${server.token}`);
    expect(exported.status).toBe(200);
    expect(exported.body).toBe(csv);
    expect(String(exported.headers['content-disposition'])).toContain("filename*=UTF-8''small-v1.csv");
  });
});
