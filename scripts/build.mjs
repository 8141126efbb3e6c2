#!/usr/bin/env node
// Builds everything the hosts run: the Node bundles (CLI, browser-mode server, workers), the Electron main and
// preload bundles, and the renderer (Vite). `node scripts/build.mjs main` builds only the Node side.
import { build } from 'esbuild';
import { readdirSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const started = Date.now();

const workerEntries = Object.fromEntries(
  readdirSync(join(root, 'src/main/workers'))
    .filter((f) => f.endsWith('.worker.ts'))
    .map((f) => [`workers/${f.replace(/\.ts$/, '')}`, join(root, 'src/main/workers', f)]),
);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

rmSync(join(root, 'dist/main'), { recursive: true, force: true });
// zod and commander are bundled in: pure JavaScript, loaded on every start, and Node's module loader took ~100 ms
// to resolve and link zod's hundred files (measured on `xinzhi --help`). Native and WebAssembly packages stay outside.
const bundledPackages = new Set(['zod', 'commander']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const externalPackages = Object.keys(dependencies).filter((name) => !bundledPackages.has(name)).flatMap((name) => [name, `${name}/*`]);
await build({
  ...common,
  packages: undefined,
  external: externalPackages,
  format: 'esm',
  // Shared code in chunks, and `serve`'s web server (with ws) loaded only when that command runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outdir: join(root, 'dist/main'),
  outExtension: { '.js': '.mjs' },
  entryPoints: { cli: join(root, 'src/main/cli/main.ts'), ...workerEntries },
  banner: { js: "import { createRequire as __xzCreateRequire } from 'node:module'; const require = __xzCreateRequire(import.meta.url);" },
});

const electronMain = join(root, 'src/main/electron/main.electron.ts');
if (existsSync(electronMain)) {
  await build({
    ...common,
    format: 'cjs',
    outdir: join(root, 'dist/main'),
    outExtension: { '.js': '.cjs' },
    entryPoints: { electron: electronMain },
    external: ['electron'],
    // compose.ts reads __dirname under CommonJS and import.meta.url only under ESM.
    logOverride: { 'empty-import-meta': 'silent' },
  });
}
const preload = join(root, 'src/main/electron/preload.electron.ts');
if (existsSync(preload)) {
  // The preload runs sandboxed: it may require only 'electron', so everything else is bundled in.
  await build({ ...common, packages: undefined, minify: true, format: 'cjs', outfile: join(root, 'dist/main/preload.cjs'), entryPoints: [preload], external: ['electron'] });
}

if (only !== 'main') {
  const vite = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
console.error(`build: done in ${Date.now() - started} ms`);
