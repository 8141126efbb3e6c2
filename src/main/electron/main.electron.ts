/**
 * The Electron host: one instance, one hardened window on `app://xinzhi/`, the services composed over the userData
 * workspace and reached only through the checked IPC bridge, closed cleanly on quit.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  safeStorage,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
  type SaveDialogOptions,
  type Session,
  type WebContents,
} from 'electron';
import { extname, join } from 'node:path';
import { createApp, type KeyProtector } from '../compose.js';
import { serveContractOverIpc } from '../transport/ipc.electron.js';
import { buildMenuTemplate } from './menu.js';
import { handleAppProtocol, registerAppSchemeAsPrivileged } from './protocol.electron.js';
import { APP_ENTRY_URL, isAllowedExternalUrl, isTrustedSenderUrl, webPreferencesFor } from './security.js';

type Services = Awaited<ReturnType<typeof createApp>>;

/** Workspace keys wrapped by the OS keychain (DPAPI, Keychain, libsecret) where Electron can reach it. */
function keyProtectorOption(): { keyProtector?: KeyProtector } {
  if (!safeStorage.isEncryptionAvailable()) return {};
  return {
    keyProtector: {
      kind: 'safeStorage',
      protect: (key) => safeStorage.encryptString(key.toString('base64')),
      unprotect: (data) => Buffer.from(safeStorage.decryptString(data), 'base64'),
    },
  };
}

const APP_NAME = 'Xinzhi Workbench 新质工作台';
const isDev = !app.isPackaged;
// This bundle is dist/main/electron.cjs: the preload, workers and renderer sit beside it.
const distMain = __dirname;
const preloadPath = join(distMain, 'preload.cjs');
const rendererDir = join(distMain, '..', 'renderer');
const workersDir = join(distMain, 'workers');
const iconPath = join(distMain, '..', '..', 'assets', 'icons', '512x512.png');
const SHUTDOWN_TIMEOUT_MS = 10_000;

let services: Services | undefined;
let disposeIpc: (() => void) | undefined;
let mainWindow: BrowserWindow | undefined;
const ourWindows = new Set<BrowserWindow>();
let quitState: 'running' | 'closing' | 'closed' = 'running';

// Tests (Playwright's _electron) point an unpackaged app at a throw-away profile; a packaged app ignores this.
if (!app.isPackaged && process.env.XINZHI_USER_DATA) app.setPath('userData', process.env.XINZHI_USER_DATA);

// Both must happen before `ready`: privileges for app://, and the sandbox for every renderer, whatever its options.
registerAppSchemeAsPrivileged();
app.enableSandbox();

function openExternalIfAllowed(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
  else console.warn(`xinzhi: refused to open ${url.slice(0, 200)}`);
}

/** Every webContents (our window, and anything a compromised page might try to create): no navigation, no popups. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalIfAllowed(url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url);
    return { action: 'deny' };
  });
}

/** The session: every permission request and check is denied; no request leaves for the network. */
function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
}

/** A message is ours only from the top frame of one of our windows, showing an app:// page. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const window = BrowserWindow.fromWebContents(event.sender);
  if (!window || !ourWindows.has(window)) return false;
  return isTrustedSenderUrl(frame.url);
}

async function chooseSavePath(event: IpcMainInvokeEvent, defaultName: string): Promise<string | null> {
  const ext = extname(defaultName).slice(1).toLowerCase();
  const zh = app.getLocale().toLowerCase().startsWith('zh');
  const options: SaveDialogOptions = {
    defaultPath: join(app.getPath('documents'), defaultName),
    filters: [
      ...(ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : []),
      { name: zh ? '所有文件' : 'All files', extensions: ['*'] },
    ],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const window = BrowserWindow.fromWebContents(event.sender);
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

function createWindow(): BrowserWindow {
  const { width, height } = screen.getPrimaryDisplay().workAreaSize;
  const window = new BrowserWindow({
    width: Math.min(1440, Math.round(width * 0.9)),
    height: Math.min(960, Math.round(height * 0.9)),
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: APP_NAME,
    // Matches the renderer's background in either scheme, so the first paint does not flash.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#242424' : '#ffffff',
    ...(process.platform === 'linux' ? { icon: iconPath } : {}),
    webPreferences: webPreferencesFor({ preload: preloadPath, isDev }),
  });
  ourWindows.add(window);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    ourWindows.delete(window);
    if (mainWindow === window) mainWindow = undefined;
  });
  window.webContents.on('render-process-gone', (_event, details) => console.error(`xinzhi: renderer gone (${details.reason})`));
  window.webContents.on('preload-error', (_event, path, error) => console.error(`xinzhi: preload ${path} failed`, error));
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function focusOrCreateWindow(): void {
  if (!services || quitState !== 'running') return;
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  if (process.platform === 'win32') app.setAppUserModelId('com.xinzhi.workbench');
  // The window chrome follows the system; the renderer has its own light/dark toggle.
  nativeTheme.themeSource = 'system';
  nativeTheme.on('updated', () => {
    for (const window of ourWindows) window.setBackgroundColor(nativeTheme.shouldUseDarkColors ? '#242424' : '#ffffff');
  });
  hardenSession(session.defaultSession);
  handleAppProtocol(rendererDir);
  app.setAboutPanelOptions({
    applicationName: APP_NAME,
    applicationVersion: app.getVersion(),
    copyright: 'Apache-2.0',
    ...(process.platform !== 'darwin' ? { iconPath } : {}),
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate({ platform: process.platform, isDev, locale: app.getLocale(), appName: 'Xinzhi Workbench' })),
  );

  try {
    services = await createApp({ workspace: app.getPath('userData'), host: 'electron', autoQuality: true, workersDir, appVersion: app.getVersion(), ...keyProtectorOption() });
  } catch (err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    dialog.showErrorBox('新质工作台无法启动 / Xinzhi Workbench could not start', `${app.getPath('userData')}\n\n${detail}`);
    app.exit(1);
    return;
  }
  if (quitState !== 'running') {
    // The user quit while the services were starting: close them too, or the quit would leave the workers running.
    await shutdown();
    return;
  }

  disposeIpc = serveContractOverIpc({
    ipcMain,
    bound: services.bound,
    events: services.events,
    isTrustedSender,
    eventTargets: () => [...ourWindows].filter((w) => !w.isDestroyed()).map((w) => w.webContents),
    isTrustedTargetUrl: isTrustedSenderUrl,
    chooseSavePath,
    onRefused: (channel, event) => console.warn(`xinzhi: refused ${channel} from ${event.senderFrame?.url ?? '(gone frame)'}`),
  });

  mainWindow = createWindow();
}

/** Stops IPC, then closes the services (workers, SQLite) — bounded, so a stuck job cannot keep the app alive. */
async function shutdown(): Promise<void> {
  disposeIpc?.();
  disposeIpc = undefined;
  const closing = services?.close();
  services = undefined;
  if (!closing) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`xinzhi: services did not close within ${SHUTDOWN_TIMEOUT_MS} ms`);
      resolve();
    }, SHUTDOWN_TIMEOUT_MS);
  });
  try {
    await Promise.race([closing, timeout]);
  } catch (err) {
    console.error('xinzhi: closing the services failed', err);
  } finally {
    clearTimeout(timer);
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the workspace (and its SQLite file); it gets focused through 'second-instance'.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', focusOrCreateWindow);
  app.on('activate', focusOrCreateWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitState === 'closed') return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    void shutdown().finally(() => {
      quitState = 'closed';
      app.quit();
    });
  });
  // Ctrl+C in the terminal that started us, or a service manager's TERM: quit through the same clean path.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  start().catch((err: unknown) => {
    console.error('xinzhi: start-up failed', err);
    app.exit(1);
  });
}
