// The import rules of DESIGN.md §3, checked in `npm test` by dependency-cruiser. It parses with TypeScript 5's
// JavaScript API (the `typescript` package); the type-check itself runs TypeScript 7 (`typescript7`), which has none.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'src/shared may import zod and itself only: no node:*, DOM libraries, electron, or main/renderer code.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: ['^src/shared/', '^node_modules/zod/'] },
    },
    {
      name: 'core-is-pure',
      comment: 'main/core: shared and numeric/ML libraries only — no SQLite, no electron, no other main layers.',
      severity: 'error',
      from: { path: '^src/main/core/' },
      to: { path: ['^src/main/(?!core/)', 'better-sqlite3', '^node_modules/electron/', '^src/renderer/'] },
    },
    {
      name: 'catalog-ingest-layer',
      comment: 'main/catalog and main/ingest: shared, node:*, better-sqlite3, file-format libraries; not services, jobs, transport or hosts.',
      severity: 'error',
      from: { path: '^src/main/(catalog|ingest)/' },
      to: { path: ['^src/main/(services|jobs|transport|electron|cli|web|workers|reports|core)/', '^src/main/compose', '^node_modules/electron/', '^src/renderer/'] },
    },
    {
      name: 'services-layer',
      comment: 'services, jobs, reports combine core, catalog, ingest and shared; never hosts or electron.',
      severity: 'error',
      from: { path: '^src/main/(services|jobs|reports)/' },
      to: { path: ['^src/main/(electron|cli|web)/', '^src/main/compose', '^node_modules/electron/', '^src/renderer/'] },
    },
    {
      name: 'transport-layer',
      comment: 'transport knows services only by interface and the contract; only *.electron.ts may import electron.',
      severity: 'error',
      from: { path: '^src/main/transport/', pathNot: '\\.electron\\.ts$' },
      to: { path: ['^node_modules/electron/', '^src/main/(catalog|ingest|core|jobs|workers|electron|cli|web)/', '^src/renderer/'] },
    },
    {
      name: 'electron-only-in-electron-files',
      comment: 'Plain Node cannot load electron: only src/main/electron/ and *.electron.ts may import it.',
      severity: 'error',
      from: { pathNot: ['^src/main/electron/', '\\.electron\\.ts$'] },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'hosts-use-compose-and-transport',
      comment: 'main/electron, main/cli, main/web reach the services through compose and transport only.',
      severity: 'error',
      from: { path: '^src/main/(electron|cli|web)/' },
      to: { path: '^src/main/(catalog|ingest|core|jobs|workers)/' },
    },
    {
      name: 'renderer-is-sandboxed',
      comment: 'The renderer imports shared, React, Mantine and UI libraries: never main, node:* or electron.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: ['^src/main/', '^node_modules/electron/', 'better-sqlite3'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'features-through-index',
      comment: 'A feature reaches another feature only through its index.ts.',
      severity: 'error',
      from: { path: '^src/renderer/features/([^/]+)/' },
      to: { path: '^src/renderer/features/([^/]+)/.+', pathNot: ['^src/renderer/features/$1/', '^src/renderer/features/[^/]+/index\\.tsx?$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    parser: 'tsc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
