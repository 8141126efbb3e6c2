/** The system domain: host facts, and the doctor that says what was found on this machine and why not. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Implements } from '../../shared/contract/procedure.js';
import type { system } from '../../shared/contract/system.js';
import type { DoctorReport, HostKind } from '../../shared/model/system.js';
import { translate } from '../../shared/i18n/index.js';

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
    const check = (id: string, ok: boolean, reason: string, params: Record<string, string> = {}) =>
      checks.push({ id, ok, reason, params, detail: translate('en', `doctor.${reason}`, params) });

    const major = Number(process.versions.node.split('.')[0]);
    check('node', major >= 20, major >= 20 ? 'nodeOk' : 'nodeOld', { version: process.versions.node });

    const sqliteVersion = packageVersion(require, 'better-sqlite3');
    check('sqlite', sqliteVersion !== null, sqliteVersion ? 'packageFound' : 'packageMissing', { package: 'better-sqlite3', version: sqliteVersion ?? '' });

    const electron = this.electronCheck(require);
    check('electron', electron.ok, electron.reason, electron.params);

    const chromium = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)) ?? null;
    check('chromium', chromium !== null, chromium ? 'chromiumFound' : 'chromiumMissing', { path: chromium ?? '' });

    const gpu = which('nvidia-smi');
    if (!gpu) check('gpu', false, 'gpuNone');
    else {
      try {
        const name = execFileSync(gpu, ['--query-gpu=name,memory.total', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000 }).trim();
        check('gpu', name !== '', name !== '' ? 'gpuFound' : 'gpuUnusable', { name });
      } catch {
        check('gpu', false, 'gpuUnusable');
      }
    }

    const backends: [string, string, string][] = [
      ['tfjs-node-gpu', '@tensorflow/tfjs-node-gpu', 'tfjsGpuMissing'],
      ['tfjs-node', '@tensorflow/tfjs-node', 'tfjsNodeMissing'],
      ['wasm', '@tensorflow/tfjs-backend-wasm', 'packageMissing'],
      ['cpu', '@tensorflow/tfjs', 'packageMissing'],
    ];
    for (const [id, pkg, missing] of backends) {
      const version = packageVersion(require, pkg);
      check(`backend:${id}`, version !== null, version ? 'packageFound' : missing, { package: pkg, version: version ?? '' });
    }
    return { checks };
  }

  private electronCheck(require: NodeJS.Require): { ok: boolean; reason: string; params: Record<string, string> } {
    const version = packageVersion(require, 'electron');
    if (!version) return { ok: false, reason: 'electronMissing', params: {} };
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const dir = dirname(require.resolve('electron/package.json'));
    const pathTxt = join(dir, 'path.txt');
    const binary = override
      ? join(override, process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron')
      : existsSync(pathTxt)
        ? join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim())
        : null;
    if (binary && existsSync(binary)) return { ok: true, reason: 'electronFound', params: { version, path: binary } };
    return { ok: false, reason: 'electronNotDownloaded', params: { version } };
  }
}
