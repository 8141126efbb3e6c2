// The `xinzhi` command line as a user runs it: JSON shapes on stdout, messages on stderr, exit codes, languages.
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dataset, repoRoot, tempDir } from '../helpers.js';

const ws = tempDir();
afterAll(() => ws.remove());

function xinzhi(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', ws.path, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('xinzhi CLI', () => {
  let versionId = '';

  it('import --json prints exactly one JSON document with the contract shape', () => {
    const r = xinzhi('import', dataset('german_credit', 'german.csv'), '--name', 'German credit', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = r.json();
    expect(Object.keys(out).sort()).toEqual(['columns', 'datasetId', 'rowCount', 'skippedRows', 'versionId']);
    expect(out.rowCount).toBe(1000);
    expect((out.columns as { name: string; type: string }[]).find((c) => c.name === 'credit')).toEqual({ name: 'credit', type: 'integer' });
    versionId = out.versionId as string;
  });

  it('ls, rows and export agree with what was imported', () => {
    const ls = xinzhi('ls', '--json').json() as { datasets: { id: string; name: string; versions: { id: string; rowCount: number }[] }[] };
    expect(ls.datasets).toHaveLength(1);
    expect(ls.datasets[0]).toMatchObject({ name: 'German credit', versions: [{ id: versionId, rowCount: 1000 }] });
    const rows = xinzhi('rows', versionId, '--limit', '2', '--offset', '998', '--json').json() as { columns: { name: string }[]; rows: unknown[][] };
    expect(rows.rows).toHaveLength(2);
    expect(rows.columns).toHaveLength(21);
    const out = join(ws.path, 'german-export.csv');
    const exp = xinzhi('export', versionId, '-o', out);
    expect(exp.code).toBe(0);
    const source = readFileSync(dataset('german_credit', 'german.csv'), 'utf8').replace(/\r\n/g, '\n');
    expect(readFileSync(out, 'utf8')).toBe(source.endsWith('\n') ? source : `${source}\n`);
  });

  it('audit verify reports an intact chain, and a broken one with a non-zero exit', () => {
    const ok = xinzhi('audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, entries: 2, brokenAt: null });
    const db = new Database(join(ws.path, 'catalog.db'));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET details = '{\"rows\":999}' WHERE seq = 1").run();
    db.close();
    const broken = xinzhi('audit', 'verify', '--json');
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('fails with a localised message, a JSON error and exit code 1', () => {
    const bad = join(ws.path, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n');
    const en = xinzhi('import', bad, '--json');
    expect(en.code).toBe(1);
    expect(en.json()).toMatchObject({ error: { code: 'E_CSV_RAGGED_ROW', params: { line: 3, expected: 2, found: 1 } } });
    expect(en.stderr).toContain('line 3');
    expect(en.stderr).not.toMatch(/at .*\.(ts|js|mjs):\d+/);
    const zh = xinzhi('--lang', 'zh-CN', 'import', bad);
    expect(zh.code).toBe(1);
    expect(zh.stderr).toContain('第 3 行');
    const missing = xinzhi('rows', 'ver_nothing', '--json');
    expect(missing.code).toBe(1);
    expect(missing.json()).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
  });

  it('--skip-bad-rows imports the rest and says how many were skipped', () => {
    const bad = join(ws.path, 'bad2.csv');
    writeFileSync(bad, 'a,b\n1,2\n3\n4,5\n');
    const r = xinzhi('import', bad, '--skip-bad-rows', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ rowCount: 2, skippedRows: 1 });
  });

  it('anonymise --config prints the result document with the contract keys', () => {
    const config = join(ws.path, 'german-k3.json');
    writeFileSync(config, JSON.stringify({
      columns: { age: { role: 'quasi', hierarchy: { interval: { widths: [10, 20] } } }, personal_status: { role: 'quasi', hierarchy: { file: 'status.csv' } } },
      models: [{ model: 'k-anonymity', k: 3 }],
    }));
    writeFileSync(join(ws.path, 'status.csv'), 'A91;male;*\nA92;female;*\nA93;male;*\nA94;male;*\nA95;female;*\n');
    const r = xinzhi('anonymise', versionId, '--config', config, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    for (const key of ['versionId', 'satisfied', 'node', 'suppressedRows', 'infoLoss', 'risk', 'searchMs']) expect(out).toHaveProperty(key);
    expect(Object.keys((out.risk as { before: object }).before)).toEqual(expect.arrayContaining(['prosecutorMax', 'prosecutorAvg', 'marketer']));
    const missing = xinzhi('anonymise', versionId, '--config', join(ws.path, 'nope.json'), '--json');
    expect(missing.code).toBe(1);
    expect(missing.json()).toMatchObject({ error: { code: 'E_FILE_NOT_FOUND' } });
  });

  it('doctor lists what it found and why not', () => {
    const r = xinzhi('doctor', '--json');
    expect(r.code).toBe(0);
    const ids = (r.json() as { checks: { id: string; ok: boolean; detail: string }[] }).checks.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['node', 'sqlite', 'electron', 'chromium', 'gpu', 'backend:tfjs-node-gpu', 'backend:wasm', 'backend:cpu']));
  });
});
