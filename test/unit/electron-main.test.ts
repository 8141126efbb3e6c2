/**
 * Runs the Electron host's real start-up code against a fake `electron` module (the binary cannot run in CI): the
 * window gets the hardened preferences, the session and webContents are locked down, IPC is answered only for our
 * frame, events reach the window, the app:// handler serves files with the CSP and refuses escapes, quit closes the
 * services.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  // Hoisted above the imports: vi.mock below hands this object to main.electron.ts as `electron`.
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setPath: (..._args: unknown[]) => undefined,
    enableSandbox: (() => undefined) as () => void,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => `/fake/${name}`,
    getVersion: () => '9.9.9',
    getLocale: () => 'zh-CN',
    setAppUserModelId: () => undefined,
    setAboutPanelOptions: (..._args: unknown[]) => undefined,
    quit: (() => undefined) as () => void,
    exit: (..._args: unknown[]) => undefined,
  });
  const windows: FakeWindow[] = [];
  class FakeWebContents extends Emitter {
    url = '';
    windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
    sent: unknown[][] = [];
    setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
      this.windowOpenHandler = handler;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    isDestroyed() {
      return false;
    }
    getURL() {
      return this.url;
    }
  }
  class FakeWindow extends Emitter {
    webContents = new FakeWebContents();
    destroyed = false;
    constructor(public options: Record<string, unknown>) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    static fromWebContents(contents: unknown) {
      return windows.find((w) => w.webContents === contents) ?? null;
    }
    static getAllWindows() {
      return windows;
    }
    async loadURL(url: string) {
      this.webContents.url = url;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    show() {}
    focus() {}
    restore() {}
    setBackgroundColor() {}
  }
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const session = {
    permissionRequest: undefined as undefined | ((...args: unknown[]) => unknown),
    permissionCheck: undefined as undefined | ((...args: unknown[]) => unknown),
    beforeRequest: undefined as undefined | { filter: { urls: string[] }; handler: (...args: unknown[]) => unknown },
    setPermissionRequestHandler(handler: (...args: unknown[]) => unknown) {
      this.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => unknown) {
      this.permissionCheck = handler;
    },
    setDevicePermissionHandler() {},
    webRequest: {
      onBeforeRequest(filter: { urls: string[] }, handler: (...args: unknown[]) => unknown) {
        session.beforeRequest = { filter, handler };
      },
    },
  };
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    dialog: {
      showSaveDialog: async (..._args: unknown[]) => ({ canceled: false, filePath: '/fake/documents/out.pdf' }),
      showErrorBox: (..._args: unknown[]) => undefined,
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => void ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => void ipcHandlers.delete(channel),
    },
    Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: (_menu: unknown) => undefined },
    nativeTheme: Object.assign(new Emitter(), { themeSource: 'light', shouldUseDarkColors: true }),
    // A stand-in for the OS keychain: reversible, and visibly not the plain bytes.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(`keychain:${[...text].reverse().join('')}`),
      decryptString: (data: Buffer) => [...data.toString().replace(/^keychain:/, '')].reverse().join(''),
    },
    screen: { getPrimaryDisplay: () => ({ workAreaSize: { width: 1920, height: 1080 } }) },
    session: { defaultSession: session },
    shell: { openExternal: async (_url: string) => undefined },
    protocol: {
      privileged: [] as unknown[],
      registerSchemesAsPrivileged(schemes: unknown[]) {
        this.privileged.push(...schemes);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void protocolHandlers.set(scheme, handler),
    },
  };
  return { electron, app, windows, ipcHandlers, session, protocolHandlers };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const services = vi.hoisted(() => ({
  createApp: undefined as unknown as (config: unknown) => Promise<unknown>,
  instance: undefined as undefined | { bound: { invoke: (...args: unknown[]) => unknown }; events: { emit: Listener }; close: () => Promise<void> },
}));
vi.mock('../../src/main/compose.js', () => ({ createApp: (config: unknown) => services.createApp(config) }));

import { EventBus } from '../../src/main/transport/event-bus.js';
import { IPC_CHANNELS } from '../../src/main/transport/ipc.electron.js';
import { APP_ENTRY_URL, APP_RESPONSE_HEADERS, CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES } from '../../src/main/electron/security.js';

const spies = {
  createApp: vi.fn(),
  invoke: vi.fn(async (name: string) => ({ ok: true, value: { answered: name } })),
  close: vi.fn(async () => undefined),
  openExternal: vi.spyOn(fake.electron.shell, 'openExternal'),
  quit: vi.spyOn(fake.app, 'quit'),
  enableSandbox: vi.spyOn(fake.app, 'enableSandbox'),
  showSaveDialog: vi.spyOn(fake.electron.dialog, 'showSaveDialog'),
};
const bus = new EventBus();
const signalListenersBefore = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };

beforeAll(async () => {
  // main.electron.ts logs each refusal; the assertions below check the refusals themselves.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  services.createApp = async (config) => {
    spies.createApp(config);
    return {
      bound: { invoke: spies.invoke, procedureNames: ['catalog.listDatasets', 'system.getInfo'], eventNames: ['catalog.onDidChange'] },
      events: bus,
      close: spies.close,
    };
  };
  await import('../../src/main/electron/main.electron.js');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});

afterAll(() => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!signalListenersBefore[signal].includes(listener)) process.off(signal, listener);
    }
  }
});

const win = () => fake.windows[0]!;
const ipcEvent = (overrides: Record<string, unknown> = {}) => ({
  sender: win().webContents,
  senderFrame: { url: APP_ENTRY_URL, parent: null },
  ...overrides,
});

describe('Electron host start-up (fake electron)', () => {
  it('registers the privileged scheme and the sandbox before ready', () => {
    expect(fake.electron.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
    expect(spies.enableSandbox).toHaveBeenCalled();
  });

  it('composes the services over the userData workspace', () => {
    expect(spies.createApp).toHaveBeenCalledTimes(1);
    const config = spies.createApp.mock.calls[0]![0] as Record<string, string>;
    expect(config).toMatchObject({ workspace: '/fake/userData', host: 'electron', appVersion: '9.9.9' });
    expect(config.workersDir).toMatch(/workers$/);
  });

  it('opens one window with the hardened preferences on app://', () => {
    const { webPreferences, show } = win().options as { webPreferences: Record<string, unknown>; show: boolean };
    expect(show).toBe(false);
    expect(webPreferences).toMatchObject(SECURE_WEB_PREFERENCES);
    expect(webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(webPreferences.devTools).toBe(true); // unpackaged = development
    expect(win().webContents.url).toBe(APP_ENTRY_URL);
  });

  it('denies navigation and new windows, opening only allow-listed URLs outside', () => {
    const contents = win().webContents;
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault;
    };
    expect(navigate('https://evil.example.com/')).toHaveBeenCalled();
    expect(navigate('app://xinzhi/other.html')).toHaveBeenCalled();
    expect(navigate('https://www.apache.org/licenses/LICENSE-2.0')).toHaveBeenCalled();
    expect(spies.openExternal.mock.calls).toEqual([['https://www.apache.org/licenses/LICENSE-2.0']]);
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://archive.ics.uci.edu/dataset/601/ai4i' })).toEqual({ action: 'deny' });
    expect(spies.openExternal).toHaveBeenCalledTimes(2);
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission and cancels network requests', () => {
    const callback = vi.fn();
    fake.session.permissionRequest!(win().webContents, 'media', callback);
    fake.session.permissionRequest!(win().webContents, 'notifications', callback);
    expect(callback.mock.calls).toEqual([[false], [false]]);
    expect(fake.session.permissionCheck!(win().webContents, 'clipboard-read')).toBe(false);
    const cancel = vi.fn();
    fake.session.beforeRequest!.handler({ url: 'https://example.com/' }, cancel);
    expect(cancel).toHaveBeenCalledWith({ cancel: true });
    expect(fake.session.beforeRequest!.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
  });

  it('answers IPC only from the top app:// frame of our window', async () => {
    const invoke = fake.ipcHandlers.get(IPC_CHANNELS.invoke)!;
    expect(await invoke(ipcEvent(), 'catalog.listDatasets', { query: '' })).toEqual({ ok: true, value: { answered: 'catalog.listDatasets' } });
    expect(spies.invoke).toHaveBeenCalledTimes(1);
    const refused = [
      ipcEvent({ senderFrame: { url: 'https://evil.example.com/', parent: null } }),
      ipcEvent({ senderFrame: { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } } }),
      ipcEvent({ senderFrame: null }),
      ipcEvent({ sender: new EventEmitter() }),
    ];
    for (const event of refused) expect(await invoke(event, 'catalog.listDatasets', {})).toMatchObject({ ok: false, error: { code: 'E_UNAUTHORIZED' } });
    expect(spies.invoke).toHaveBeenCalledTimes(1);
  });

  it('forwards contract events to the window', () => {
    bus.emit('catalog', 'onDidChange', { datasetId: 'd1' });
    expect(win().webContents.sent).toContainEqual([IPC_CHANNELS.event, 'catalog.onDidChange', { datasetId: 'd1' }]);
  });

  it('shows the native save dialog for chooseSavePath', async () => {
    const save = fake.ipcHandlers.get(IPC_CHANNELS.chooseSavePath)!;
    expect(await save(ipcEvent(), '../../报告.pdf')).toBe('/fake/documents/out.pdf');
    const [, options] = spies.showSaveDialog.mock.calls[0]! as [unknown, { defaultPath: string; filters: { extensions: string[] }[] }];
    expect(options.defaultPath).toBe(join('/fake/documents', '报告.pdf'));
    expect(options.filters[0]!.extensions).toEqual(['pdf']);
  });

  it('closes the services before quitting', async () => {
    const event = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(spies.quit).toHaveBeenCalled());
    expect(spies.close).toHaveBeenCalledTimes(1);
    expect(fake.ipcHandlers.size).toBe(0);
    // The second before-quit (from the app.quit() above) goes through.
    const second = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });
});

describe('app:// protocol handler (fake electron)', () => {
  let root: string;
  let outside: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'xinzhi-protocol-'));
    root = join(base, 'renderer');
    outside = join(base, 'secret.txt');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(outside, 'secret');
    try {
      symlinkSync(outside, join(root, 'assets', 'link.txt'));
    } catch {
      // Symlinks may be unavailable (Windows without privilege); the lexical checks still run.
    }
    const { handleAppProtocol } = await import('../../src/main/electron/protocol.electron.js');
    handleAppProtocol(root);
    handler = fake.protocolHandlers.get('app')!;
  });

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves files with the CSP and a content type', async () => {
    const response = await get('app://xinzhi/assets/app.js');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log(1)');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    for (const [name, value] of Object.entries(APP_RESPONSE_HEADERS)) expect(response.headers.get(name)).toBe(value);
  });

  it('serves index.html for / and for client-side routes', async () => {
    expect(await (await get('app://xinzhi/')).text()).toContain('<title>x</title>');
    expect(await (await get('app://xinzhi/datasets/42')).text()).toContain('<title>x</title>');
  });

  it('refuses escapes, symlinks out, other hosts and methods — with the CSP on the refusal too', async () => {
    for (const url of [
      'app://xinzhi/%2e%2e/secret.txt',
      'app://xinzhi/..%2fsecret.txt',
      'app://xinzhi/assets/link.txt',
      'app://xinzhi/missing.js',
      'app://other/index.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('secret');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await get('app://xinzhi/index.html', 'POST')).status).toBe(405);
  });

  afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));
});
