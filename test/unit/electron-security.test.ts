/**
 * Pins the desktop app's security baseline (DESIGN.md §9): window preferences, CSP, the app:// scheme, the
 * openExternal allow-list, IPC sender checks, fuses, and that main.electron.ts really wires them. Any change fails here.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_RESPONSE_HEADERS,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  ELECTRON_FUSES,
  EXTERNAL_URL_ALLOW_LIST,
  SECURE_WEB_PREFERENCES,
  isAllowedExternalUrl,
  isTrustedSenderUrl,
  mimeTypeFor,
  resolveAppRequestPath,
  webPreferencesFor,
} from '../../src/main/electron/security.js';
import { buildMenuTemplate } from '../../src/main/electron/menu.js';
import { IPC_CHANNELS, createIpcBridge, sanitizeFileName, serveContractOverIpc } from '../../src/main/transport/ipc.electron.js';
import type { BoundContract } from '../../src/main/transport/bind.js';
import type { EventListener } from '../../src/main/transport/event-bus.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');
const mainSource = read('src/main/electron/main.electron.ts');
const protocolSource = read('src/main/electron/protocol.electron.ts');
const preloadSource = read('src/main/electron/preload.electron.ts');

describe('BrowserWindow webPreferences', () => {
  it('keep every setting of the checklist', () => {
    expect(SECURE_WEB_PREFERENCES).toEqual({
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
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });

  it('add only the preload, and devtools only in development', () => {
    const prod = webPreferencesFor({ preload: '/app/dist/main/preload.cjs', isDev: false });
    expect(prod).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/dist/main/preload.cjs', devTools: false });
    expect(webPreferencesFor({ preload: 'p', isDev: true }).devTools).toBe(true);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources] as const;
    }),
  );

  it('defaults to nothing and allows scripts only from our own origin', () => {
    expect(["'none'", "'self'"]).toContain(directives.get('default-src')?.join(' '));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('frame-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('never allows eval, inline scripts, wildcards or network origins', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    for (const [name, sources] of directives) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(/^\*|^https?:|^wss?:|^file:|^filesystem:/);
      }
    }
  });

  it('is the one built from CSP_DIRECTIVES and sent with every app:// response', () => {
    expect(directives.size).toBe(Object.keys(CSP_DIRECTIVES).length);
    expect(APP_RESPONSE_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(APP_RESPONSE_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    // Every Response the protocol handler builds carries the headers.
    const responses = protocolSource.match(/new Response\([^;]*;/gs) ?? [];
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) expect(response).toContain('APP_RESPONSE_HEADERS');
  });
});

describe('app:// scheme', () => {
  it('is standard and secure, without CSP bypass or cross-origin reads', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_ORIGIN).toBe('app://xinzhi');
    expect(APP_ENTRY_URL).toBe('app://xinzhi/index.html');
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true, codeCache: true });
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
  });

  const rootDir = resolve('/srv/xinzhi/dist/renderer');
  const inside = (p: string | null): boolean => p !== null && p.startsWith(rootDir + sep);

  it('serves files under the renderer folder, index.html for /', () => {
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/')).toBe(join(rootDir, 'index.html'));
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/index.html')).toBe(join(rootDir, 'index.html'));
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/assets/index-abc.js?v=1#x')).toBe(join(rootDir, 'assets', 'index-abc.js'));
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/fonts/%E6%80%9D%E6%BA%90.woff2')).toBe(join(rootDir, 'fonts', '思源.woff2'));
  });

  it('never resolves outside the renderer folder', () => {
    const attempts = [
      'app://xinzhi/../../etc/passwd',
      'app://xinzhi/assets/../../../etc/passwd',
      'app://xinzhi/%2e%2e/%2e%2e/etc/passwd',
      'app://xinzhi/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      'app://xinzhi/..%2f..%2fetc/passwd',
      'app://xinzhi/..%5c..%5cwindows%5cwin.ini',
      'app://xinzhi/assets\\..\\..\\secret',
      'app://xinzhi/C:/Windows/win.ini',
      'app://xinzhi/%00index.html',
      'app://xinzhi/%ZZ',
    ];
    for (const url of attempts) {
      const result = resolveAppRequestPath(rootDir, url);
      expect(result === null || inside(result), `${url} → ${result}`).toBe(true);
    }
    // Those that smuggle separators or NULs are refused outright.
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/%00index.html')).toBeNull();
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi/C:/Windows/win.ini')).toBeNull();
  });

  it('answers only our host on our scheme', () => {
    expect(resolveAppRequestPath(rootDir, 'app://other/index.html')).toBeNull();
    expect(resolveAppRequestPath(rootDir, 'app://xinzhi:8080/index.html')).toBeNull();
    expect(resolveAppRequestPath(rootDir, 'app://user@xinzhi/index.html')).toBeNull();
    expect(resolveAppRequestPath(rootDir, 'file:///srv/xinzhi/dist/renderer/index.html')).toBeNull();
    expect(resolveAppRequestPath(rootDir, 'not a url')).toBeNull();
  });

  it('labels content types so nosniff does not break scripts', () => {
    expect(mimeTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(mimeTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('/x/a.css')).toMatch(/^text\/css/);
    expect(mimeTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/x/LICENSE')).toBe('application/octet-stream');
  });
});

describe('shell.openExternal allow-list', () => {
  it('is short and https only', () => {
    expect(EXTERNAL_URL_ALLOW_LIST.length).toBeGreaterThan(0);
    for (const prefix of EXTERNAL_URL_ALLOW_LIST) {
      expect(prefix).toMatch(/^https:\/\/[a-z0-9.-]+\/.+\/$/);
    }
  });

  it('accepts pages under an allowed prefix', () => {
    expect(isAllowedExternalUrl('https://www.apache.org/licenses/LICENSE-2.0')).toBe(true);
    expect(isAllowedExternalUrl('https://archive.ics.uci.edu/dataset/2/adult')).toBe(true);
  });

  it('rejects other schemes, hosts and tricks', () => {
    const rejected: unknown[] = [
      'file:///etc/passwd',
      'file:///C:/Windows/System32/calc.exe',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'smb://attacker/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://xinzhi/index.html',
      'http://www.apache.org/licenses/LICENSE-2.0',
      'https://evil.example.com/',
      'http://203.0.113.7/',
      'https://www.apache.org.evil.com/licenses/',
      'https://www.apache.org/licensesX',
      'https://www.apache.org/licenses/../../evil',
      'https://user:pass@www.apache.org/licenses/',
      'https://www.apache.org:8443/licenses/',
      'https://github.com/someone-else/xinzhi-workbench/',
      '',
      'not a url',
      undefined,
      42,
    ];
    for (const url of rejected) expect(isAllowedExternalUrl(url), String(url)).toBe(false);
  });
});

describe('IPC sender validation', () => {
  it('trusts only app://xinzhi frames', () => {
    expect(isTrustedSenderUrl('app://xinzhi/index.html')).toBe(true);
    expect(isTrustedSenderUrl('app://xinzhi/index.html#/datasets/1')).toBe(true);
    for (const url of [
      'file:///srv/dist/renderer/index.html',
      'http://127.0.0.1:5173/',
      'https://xinzhi/',
      'app://evil/index.html',
      'app://xinzhi.evil.com/',
      'app://xinzhi:1234/',
      'app://user@xinzhi/',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'chrome-error://chromewebdata/',
      'data:text/html,hi',
      '',
      undefined,
      null,
    ]) {
      expect(isTrustedSenderUrl(url), String(url)).toBe(false);
    }
  });

  function fakeIpcMain() {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
    return {
      handlers,
      handle: (channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => void handlers.set(channel, listener),
      removeHandler: (channel: string) => void handlers.delete(channel),
    };
  }
  const eventFrom = (url: string): IpcMainInvokeEvent => ({ senderFrame: { url, parent: null } }) as unknown as IpcMainInvokeEvent;

  function setUp() {
    const ipcMain = fakeIpcMain();
    const bound: BoundContract = {
      invoke: vi.fn(async (name: string) => ({ ok: true as const, value: { name } })),
      procedureNames: ['catalog.listDatasets'],
      eventNames: ['catalog.onDidChange'],
    };
    let emit: EventListener = () => undefined;
    const target = { send: vi.fn(), isDestroyed: () => false, getURL: () => 'app://xinzhi/index.html' };
    const foreign = { send: vi.fn(), isDestroyed: () => false, getURL: () => 'https://evil.example.com/' };
    const chooseSavePath = vi.fn(async (_event: IpcMainInvokeEvent, name: string) => `/home/u/Documents/${name}`);
    const dispose = serveContractOverIpc({
      ipcMain,
      bound,
      events: { subscribe: (listener) => ((emit = listener), () => (emit = () => undefined)) },
      isTrustedSender: (event) => isTrustedSenderUrl(event.senderFrame?.url),
      eventTargets: () => [target, foreign],
      isTrustedTargetUrl: isTrustedSenderUrl,
      chooseSavePath,
    });
    return { ipcMain, bound, target, foreign, chooseSavePath, dispose, emit: (name: string, payload: unknown) => emit(name, payload) };
  }

  it('refuses invoke from an untrusted sender without reaching the services', async () => {
    const { ipcMain, bound } = setUp();
    const invoke = ipcMain.handlers.get(IPC_CHANNELS.invoke)!;
    const result = await invoke(eventFrom('https://evil.example.com/'), 'catalog.listDatasets', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'E_UNAUTHORIZED' } });
    expect(await invoke({ senderFrame: null } as unknown as IpcMainInvokeEvent, 'catalog.listDatasets', {})).toMatchObject({ ok: false });
    expect(bound.invoke).not.toHaveBeenCalled();
  });

  it('routes trusted invokes of contract procedures to bound.invoke, and only those', async () => {
    const { ipcMain, bound } = setUp();
    const invoke = ipcMain.handlers.get(IPC_CHANNELS.invoke)!;
    expect(await invoke(eventFrom(APP_ENTRY_URL), 'catalog.listDatasets', { query: '' })).toEqual({ ok: true, value: { name: 'catalog.listDatasets' } });
    expect(bound.invoke).toHaveBeenCalledWith('catalog.listDatasets', { query: '' });
    expect(await invoke(eventFrom(APP_ENTRY_URL), 'catalog.onDidChange', {})).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_PROCEDURE' } });
    expect(await invoke(eventFrom(APP_ENTRY_URL), { toString: () => 'x' }, {})).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_PROCEDURE' } });
    expect(bound.invoke).toHaveBeenCalledTimes(1);
  });

  it('checks the sender of chooseSavePath and passes a bare file name', async () => {
    const { ipcMain, chooseSavePath } = setUp();
    const save = ipcMain.handlers.get(IPC_CHANNELS.chooseSavePath)!;
    expect(await save(eventFrom('file:///x'), 'report.pdf')).toBeNull();
    expect(chooseSavePath).not.toHaveBeenCalled();
    expect(await save(eventFrom(APP_ENTRY_URL), '../../etc/report.pdf')).toBe('/home/u/Documents/report.pdf');
    expect(sanitizeFileName('C:\\Users\\x\\a<b>.csv')).toBe('a_b_.csv');
    expect(sanitizeFileName('..')).toBe('export');
    expect(sanitizeFileName(undefined)).toBe('export');
  });

  it('forwards events only to windows still showing our UI, and stops on dispose', () => {
    const { ipcMain, target, foreign, emit, dispose } = setUp();
    emit('catalog.onDidChange', { datasetId: 'd1' });
    expect(target.send).toHaveBeenCalledWith(IPC_CHANNELS.event, 'catalog.onDidChange', { datasetId: 'd1' });
    expect(foreign.send).not.toHaveBeenCalled();
    dispose();
    emit('catalog.onDidChange', { datasetId: 'd2' });
    expect(target.send).toHaveBeenCalledTimes(1);
    expect(ipcMain.handlers.size).toBe(0);
  });
});

describe('preload bridge', () => {
  function setUp() {
    const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
    const ipcRenderer = {
      invoke: vi.fn(async () => ({ ok: true, value: [] })),
      on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => void listeners.set(channel, listener)),
      removeListener: vi.fn((channel: string) => void listeners.delete(channel)),
    };
    const bridge = createIpcBridge({
      ipcRenderer: ipcRenderer as never,
      getPathForFile: () => '/tmp/file.csv',
      procedureNames: ['catalog.listDatasets'],
      eventNames: ['catalog.onDidChange'],
    });
    return { bridge, ipcRenderer, listeners };
  }

  it('exposes exactly the Bridge methods', () => {
    expect(Object.keys(setUp().bridge).sort()).toEqual(['chooseSavePath', 'getPathForFile', 'invoke', 'on']);
    expect(preloadSource).toMatch(/exposeInMainWorld\(\s*'bridge'/);
    expect(preloadSource.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preloadSource).toContain('listNames(contract)');
  });

  it('checks procedure names before anything crosses to main', async () => {
    const { bridge, ipcRenderer } = setUp();
    expect(await bridge.invoke('catalog.dropEverything', {})).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_PROCEDURE' } });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
    await bridge.invoke('catalog.listDatasets', { query: '' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_CHANNELS.invoke, 'catalog.listDatasets', { query: '' });
    ipcRenderer.invoke.mockRejectedValueOnce(new Error("No handler registered for 'xinzhi:invoke'"));
    expect(await bridge.invoke('catalog.listDatasets', {})).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
  });

  it('gives listeners the payload only, checks event names, and unsubscribes', () => {
    const { bridge, ipcRenderer, listeners } = setUp();
    expect(() => bridge.on('catalog.nope', () => undefined)).toThrow(/Unknown event/);
    const received: unknown[][] = [];
    const off = bridge.on('catalog.onDidChange', (...args: unknown[]) => received.push(args));
    const fakeEvent = { sender: { send: () => undefined } };
    listeners.get(IPC_CHANNELS.event)!(fakeEvent, 'catalog.onDidChange', { datasetId: 'd1' });
    listeners.get(IPC_CHANNELS.event)!(fakeEvent, 'jobs.onDidUpdate', { jobId: 'j' });
    expect(received).toEqual([[{ datasetId: 'd1' }]]);
    off();
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.has(IPC_CHANNELS.event)).toBe(false);
  });
});

describe('menu', () => {
  const roles = (isDev: boolean, platform: string) =>
    JSON.stringify(buildMenuTemplate({ platform, isDev, locale: 'en-US', appName: 'Xinzhi Workbench' }));

  it('has reload and devtools only in development', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      expect(roles(false, platform)).not.toMatch(/"reload"|"forceReload"|"toggleDevTools"/);
      expect(roles(true, platform)).toMatch(/"reload"/);
      expect(roles(true, platform)).toMatch(/"toggleDevTools"/);
    }
  });

  it('speaks Chinese for zh locales', () => {
    expect(JSON.stringify(buildMenuTemplate({ platform: 'linux', isDev: false, locale: 'zh-CN', appName: 'X' }))).toContain('编辑');
  });
});

describe('fuses', () => {
  const require = createRequire(import.meta.url);
  const yaml = require('js-yaml') as { load(text: string): unknown };
  const config = yaml.load(read('electron-builder.yml')) as Record<string, unknown>;

  it('match between security.ts and electron-builder.yml', () => {
    expect(ELECTRON_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.electronFuses).toEqual(ELECTRON_FUSES);
  });

  it('ship an asar with native modules unpacked and rebuilt for Electron', () => {
    expect(config.appId).toBe('com.xinzhi.workbench');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3/**/*']));
    expect(config.npmRebuild).toBe(true);
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
  });
});

describe('main.electron.ts wiring', () => {
  it('builds the window from security.ts and loads app://', () => {
    expect(mainSource).toMatch(/from '\.\/security\.js'/);
    expect(mainSource).toMatch(/webPreferences:\s*webPreferencesFor\(/);
    expect(mainSource).toMatch(/loadURL\(APP_ENTRY_URL\)/);
    expect(mainSource).not.toMatch(/loadFile\(|file:\/\//);
    expect(mainSource).toContain('registerAppSchemeAsPrivileged();');
    expect(mainSource).toContain('handleAppProtocol(rendererDir)');
    expect(mainSource).toContain('app.enableSandbox();');
    expect(mainSource).toContain('requestSingleInstanceLock()');
  });

  it('denies navigation, new windows and permissions', () => {
    expect(mainSource).toMatch(/\.on\('will-navigate',\s*\(event, url\) => \{\s*event\.preventDefault\(\);/);
    expect(mainSource).toMatch(/setWindowOpenHandler\(\(\{ url \}\) => \{[^}]*openExternalIfAllowed\(url\);\s*return \{ action: 'deny' \};/);
    expect(mainSource).toMatch(/app\.on\('web-contents-created',\s*\(_event, contents\) => hardenWebContents\(contents\)\)/);
    expect(mainSource).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(mainSource).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    expect(mainSource).toMatch(/will-attach-webview', \(event\) => event\.preventDefault\(\)/);
  });

  it('opens external URLs only through the allow-list', () => {
    const calls = mainSource.match(/shell\.openExternal\([^)]*\)/g) ?? [];
    expect(calls).toEqual(['shell.openExternal(url)']);
    expect(mainSource).toMatch(/if \(isAllowedExternalUrl\(url\)\) void shell\.openExternal\(url\);/);
  });

  it('checks every IPC sender and registers no raw ipcMain handlers', () => {
    expect(mainSource).toMatch(/serveContractOverIpc\(\{[\s\S]*isTrustedSender,/);
    expect(mainSource).toMatch(/isTrustedSenderUrl\(frame\.url\)/);
    expect(mainSource).not.toMatch(/ipcMain\.(handle|on)\(/);
  });

  it('never weakens a setting inline', () => {
    const sources = readdirSync(join(root, 'src/main/electron')).map((f) => read(`src/main/electron/${f}`));
    for (const source of [...sources, read('src/main/transport/ipc.electron.ts')]) {
      expect(source).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
      expect(source).not.toMatch(/allowRunningInsecureContent:\s*true|webviewTag:\s*true|bypassCSP:\s*true/);
    }
  });

  // A value import, side-effect import or require of 'electron' (type-only imports are erased and allowed).
  const RUNTIME_ELECTRON_IMPORT =
    /^\s*import\s+(?!type\b)[^;]*?from\s*['"]electron['"]|^\s*import\s*['"]electron['"]|\brequire\(\s*['"]electron['"]\s*\)|\bimport\(\s*['"]electron['"]\s*\)/m;

  it('keeps electron out of everything but src/main/electron and *.electron.ts', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|tsx|mts)$/.test(entry)) {
          const rel = relative(root, path).split(sep).join('/');
          const allowed = rel.startsWith('src/main/electron/') || rel.endsWith('.electron.ts');
          if (!allowed && RUNTIME_ELECTRON_IMPORT.test(readFileSync(path, 'utf8'))) offenders.push(rel);
        }
      }
    };
    walk(join(root, 'src'));
    expect(offenders).toEqual([]);
    // security.ts and menu.ts stay pure, so these tests can load them.
    expect(read('src/main/electron/security.ts')).not.toMatch(/['"]electron['"]/);
    expect(read('src/main/electron/menu.ts')).not.toMatch(RUNTIME_ELECTRON_IMPORT);
    expect(read('src/main/transport/ipc.electron.ts')).not.toMatch(RUNTIME_ELECTRON_IMPORT);
    expect(read('src/main/electron/main.electron.ts')).toMatch(RUNTIME_ELECTRON_IMPORT);
  });
});
