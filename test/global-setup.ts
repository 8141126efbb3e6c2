// Builds the Node bundles once before the tests: jobs run in real worker threads from dist/main/workers.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const build = spawnSync(process.execPath, ['scripts/build.mjs', 'main'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build of the main bundles failed');
}
