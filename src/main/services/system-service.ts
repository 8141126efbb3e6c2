/** The system domain: host facts, and the doctor that says what was found on this machine and why not. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Implements } from '../../shared/contract/procedure.js';
import type { system } from '../../shared/contract/system.js';
import type { DoctorReport, HostKind } from '../../shared/model/system.js';

export interface SystemServiceOptions {
  host: HostKind;
  workspace: string;
  appVersion: string;
  /** The package root, where node_modules is looked up. */
  appRoot: string;
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

function packageVersion(require: NodeJS.Require, name: string): string | null {
  try {
    const pkg = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

export class SystemService implements Implements<typeof system> {
  constructor(private readonly options: SystemServiceOptions) {}

  getInfo() {
    return {
      appVersion: this.options.appVersion,
      host: this.options.host,
      workspace: this.options.workspace,
      nodeVersion: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
    };
  }

  runDoctor(): DoctorReport {
    const require = createRequire(join(this.options.appRoot, 'package.json'));
    const checks: DoctorReport['checks'] = [];
    const major = Number(process.versions.node.split('.')[0]);
    checks.push({ id: 'node', ok: major >= 20, detail: `Node.js ${process.versions.node}${major >= 20 ? '' : ' — Node.js 20 or newer is required'}` });

    const sqliteVersion = packageVersion(require, 'better-sqlite3');
    checks.push({ id: 'better-sqlite3', ok: sqliteVersion !== null, detail: sqliteVersion ? `better-sqlite3 ${sqliteVersion}` : 'better-sqlite3 is not installed: run npm install' });

    checks.push(this.electronCheck(require));

    const chromium = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)) ?? null;
    checks.push({ id: 'chromium', ok: chromium !== null, detail: chromium ? `${chromium} (used by the browser tests)` : 'no Chromium found: apt-get install -y chromium (needed only for the end-to-end tests)' });

    const gpu = which('nvidia-smi');
    let gpuDetail = 'no NVIDIA driver (nvidia-smi not found): training runs on the CPU';
    if (gpu) {
      try {
        gpuDetail = execFileSync(gpu, ['--query-gpu=name,memory.total', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000 }).trim();
      } catch {
        gpuDetail = 'nvidia-smi is present but found no usable GPU';
      }
    }
    checks.push({ id: 'gpu', ok: gpu !== null && !gpuDetail.startsWith('nvidia-smi is'), detail: gpuDetail });

    const backends: [string, string, string][] = [
      ['tfjs-node-gpu', '@tensorflow/tfjs-node-gpu', 'not installed: its install downloads libtensorflow with CUDA, which needs a connection and an NVIDIA GPU'],
      ['tfjs-node', '@tensorflow/tfjs-node', 'not installed: its install downloads libtensorflow, which needs a connection'],
      ['wasm', '@tensorflow/tfjs-backend-wasm', 'not installed: run npm install'],
      ['cpu', '@tensorflow/tfjs', 'not installed: run npm install'],
    ];
    for (const [id, pkg, why] of backends) {
      const version = packageVersion(require, pkg);
      checks.push({ id: `backend:${id}`, ok: version !== null, detail: version ? `${pkg} ${version}` : `${pkg} ${why}` });
    }
    return { checks };
  }

  private electronCheck(require: NodeJS.Require): DoctorReport['checks'][number] {
    const version = packageVersion(require, 'electron');
    if (!version) return { id: 'electron', ok: false, detail: 'electron is not installed (npm install): the app runs in browser mode' };
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const dir = dirname(require.resolve('electron/package.json'));
    const pathTxt = join(dir, 'path.txt');
    const binary = override
      ? join(override, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron')
      : existsSync(pathTxt)
        ? join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim())
        : null;
    if (binary && existsSync(binary)) return { id: 'electron', ok: true, detail: `Electron ${version} at ${binary}` };
    return {
      id: 'electron',
      ok: false,
      detail: `Electron ${version} is installed but its binary was not downloaded (it is fetched on first use and needs a connection; or set ELECTRON_OVERRIDE_DIST_PATH): the app runs in browser mode`,
    };
  }
}
