#!/usr/bin/env node
// What `npm start` runs: builds when dist/ is missing or older than the sources, then opens the desktop app in
// Electron when a binary can run here; otherwise it says why (中文 + English) and starts browser mode
// (`xinzhi serve`) and opens the default browser. `--browser` forces browser mode; other arguments go to `serve`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time (ms) of the files under `path` (a file or folder); 0 when absent. */
function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why the build must run, or null when dist/ is complete and newer than every input. */
export function buildNeeded(dir = root) {
  const outputs = ['dist/main/cli.mjs', 'dist/renderer/index.html'];
  if (existsSync(join(dir, 'src/main/electron/main.electron.ts'))) outputs.push('dist/main/electron.cjs', 'dist/main/preload.cjs');
  const missing = outputs.find((o) => !existsSync(join(dir, o)));
  if (missing) return `${missing} is missing`;
  const inputs = ['src', 'package.json', 'package-lock.json', 'vite.config.ts', 'scripts/build.mjs', 'tsconfig.base.json'];
  const newestInput = Math.max(...inputs.map((i) => newestMtime(join(dir, i))));
  const oldestOutput = Math.min(...outputs.map((o) => statSync(join(dir, o)).mtimeMs));
  return newestInput > oldestOutput ? 'sources changed since the last build' : null;
}

const ELECTRON_PLATFORM_PATH = { darwin: 'Electron.app/Contents/MacOS/Electron', mas: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/**
 * Finds an Electron binary that can run here, without `require('electron')` (which would try to download it):
 * node_modules/electron/path.txt names the executable inside dist/ or inside ELECTRON_OVERRIDE_DIST_PATH. Then it is
 * run once as Node (ELECTRON_RUN_AS_NODE) to prove it starts and that better-sqlite3 loads with Electron's ABI.
 * Returns `{ ok: true, binary }` or `{ ok: false, reason, detail }`.
 */
export function findElectron(dir = root, env = process.env, platform = process.platform) {
  const pkgDir = join(dir, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return { ok: false, reason: 'not-installed' };
  let relative = ELECTRON_PLATFORM_PATH[platform] ?? 'electron';
  try {
    relative = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim() || relative;
  } catch {
    // No path.txt: the postinstall download never ran; the platform default is what it would have written.
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative) : join(pkgDir, 'dist', relative);
  if (!existsSync(binary)) return { ok: false, reason: override ? 'override-missing' : 'not-downloaded', detail: binary };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, reason: 'no-display', detail: binary };
  // Chromium refuses to start as root unless its OS sandbox is switched off; we do that only on explicit request.
  const asRoot = platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot && env.XINZHI_ALLOW_ROOT_ELECTRON !== '1') return { ok: false, reason: 'root', detail: binary };
  const probe = spawnSync(binary, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: dir,
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
    windowsHide: true,
  });
  if (probe.error || probe.status !== 0) {
    const output = `${probe.error?.message ?? ''}\n${probe.stderr ?? ''}`.trim();
    const abi = /NODE_MODULE_VERSION|compiled against a different Node\.js version|ERR_DLOPEN_FAILED/.test(output);
    return { ok: false, reason: abi ? 'native-abi' : 'binary-fails', detail: output.split('\n').find((l) => l.trim()) ?? `exit ${probe.status}` };
  }
  return { ok: true, binary, extraArgs: asRoot ? ['--no-sandbox'] : [] };
}

const REASONS = {
  forced: ['已指定 --browser。', '--browser was given.'],
  'not-installed': ['未安装 electron 依赖包（node_modules/electron 不存在），请先运行 npm install。', 'The electron package is not installed (no node_modules/electron); run npm install.'],
  'not-downloaded': [
    'Electron 可执行文件尚未下载（它在首次使用时联网下载）。联网后运行 npx electron --version 即可下载；或将 ELECTRON_OVERRIDE_DIST_PATH 设为已有 Electron 45 的目录。',
    'The Electron binary has not been downloaded (it is fetched on first use, which needs a network connection). Run npx electron --version once online to fetch it, or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron 45 build.',
  ],
  'override-missing': ['ELECTRON_OVERRIDE_DIST_PATH 指向的目录中没有 Electron 可执行文件。', 'ELECTRON_OVERRIDE_DIST_PATH does not contain an Electron executable.'],
  'no-display': ['没有图形显示（DISPLAY 与 WAYLAND_DISPLAY 均未设置），无法打开桌面窗口。', 'There is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so no desktop window can open.'],
  root: [
    '以 root 身份运行时 Chromium 要求关闭其操作系统沙箱，本应用默认不这样做；请以普通用户运行（或自担风险设置 XINZHI_ALLOW_ROOT_ELECTRON=1）。',
    'Running as root, Chromium would need its OS sandbox switched off, which this app does not do by default; run as a normal user (or, at your own risk, set XINZHI_ALLOW_ROOT_ELECTRON=1).',
  ],
  'native-abi': [
    'node_modules 中的 better-sqlite3 是为 Node 编译的，不是为 Electron 编译的。运行 npx electron-builder install-app-deps 可为 Electron 重新编译（之后命令行与测试需要 npm rebuild better-sqlite3）；打包（npm run dist）会自动处理。',
    'better-sqlite3 in node_modules is built for Node, not for Electron. `npx electron-builder install-app-deps` rebuilds it for Electron (the CLI and tests then need `npm rebuild better-sqlite3`); packaging (npm run dist) does this by itself.',
  ],
  'binary-fails': ['Electron 可执行文件无法在本机运行。', 'The Electron binary does not run on this machine.'],
};

/** The command that opens a URL in the default browser here, or null when there is none (a headless server). */
export function browserOpener(url, env = process.env, platform = process.platform) {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const onPath = (env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, 'xdg-open')));
  return onPath ? ['xdg-open', [url]] : null;
}

function openBrowser(url) {
  const opener = browserOpener(url);
  if (!opener) return;
  try {
    const child = spawn(opener[0], opener[1], { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser is fine: the URL is printed above.
  }
}

/** Runs a child until it exits, passing Ctrl+C / TERM / HUP to it exactly once each, then exits with its code. */
function supervise(child, label) {
  // On POSIX the child has its own process group (detached), so the terminal's Ctrl+C reaches only us and we pass
  // it on once — the child then closes its services cleanly instead of being hit twice.
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  process.on('exit', () => forward('SIGTERM'));
  child.on('error', (err) => {
    console.error(`start: could not run ${label}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1)));
}

function startElectron(binary, extraArgs, started) {
  console.error(`start: 打开桌面应用 / opening the desktop app (${binary})`);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [...extraArgs, root], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: process.platform !== 'win32' });
  // Registered before supervise(), whose exit listener ends this process.
  child.on('exit', (code) => {
    if (code && Date.now() - started < 5_000) {
      console.error('start: Electron 启动失败，可用 `npm start -- --browser` 改用浏览器模式。 / Electron failed to start; `npm start -- --browser` uses browser mode.');
    }
  });
  supervise(child, 'Electron');
}

function startBrowserMode(serveArgs) {
  const cli = join(root, 'bin', 'xinzhi.mjs');
  const child = spawn(process.execPath, [cli, 'serve', ...serveArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: process.platform !== 'win32',
  });
  supervise(child, 'xinzhi serve');
  let opened = false;
  let pending = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (opened) return;
    pending = (pending + chunk.toString('utf8')).slice(-4096);
    const match = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?\/\S*/.exec(pending);
    if (match) {
      opened = true;
      openBrowser(match[0]);
    }
  });
}

function main() {
  const started = Date.now();
  const args = process.argv.slice(2);
  const forceBrowser = args.includes('--browser');
  const serveArgs = args.filter((a) => a !== '--browser');

  const why = buildNeeded();
  if (why) {
    console.error(`start: 正在构建 / building (${why}) …`);
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      console.error('start: 构建失败 / the build failed');
      process.exit(build.status ?? 1);
    }
  }

  const electron = forceBrowser ? { ok: false, reason: 'forced' } : findElectron();
  if (electron.ok) {
    startElectron(electron.binary, electron.extraArgs, started);
    return;
  }
  const [zh, en] = REASONS[electron.reason] ?? REASONS['binary-fails'];
  console.error(`start: 不使用 Electron：${zh}`);
  console.error(`start: not using Electron: ${en}`);
  if (electron.detail) console.error(`       (${electron.detail})`);
  console.error('start: 改为启动浏览器模式（xinzhi serve）/ starting browser mode instead (xinzhi serve)');
  startBrowserMode(serveArgs);
}

function isEntryPoint() {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Imported (by a test) it only exposes its helpers; run as a script it starts the app.
if (isEntryPoint()) main();
