#!/usr/bin/env node
// The `xinzhi` command: runs the built CLI bundle (npm install builds it; `npm run build` rebuilds it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('xinzhi: the app is not built yet. Run `npm run build` (or `npm install`) in the project folder.');
  console.error('xinzhi：应用尚未构建。请在项目目录中运行 `npm run build`（或 `npm install`）。');
  process.exit(1);
}
await import(cli);
