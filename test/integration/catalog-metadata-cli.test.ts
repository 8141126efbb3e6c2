// `xinzhi import` of the new formats, `xinzhi meta`, `xinzhi glossary` and `xinzhi search` as a user runs them:
// one JSON document on stdout with the same shape as a CSV import, errors as JSON with an exit code.
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3';
import { repoRoot, tempDir } from '../helpers.js';

const ws = tempDir();
afterAll(() => ws.remove());

function xinzhi(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', join(ws.path, 'ws'), ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('xinzhi import of the new formats, meta and search', () => {
  let datasetId = '';

  it('imports a sheet of an xlsx and a query of an SQLite file with the CSV import JSON shape', { timeout: 300_000 }, async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['Budget 2024']);
    const ws2 = wb.addWorksheet('Budget');
    ws2.addRow(['Budget 2024, in thousands']);
    ws2.addRow(['dept', 'amount']);
    ws2.addRow(['R&D', 1200.5]);
    ws2.addRow(['Sales', 800]);
    await wb.xlsx.writeFile(join(ws.path, 'budget.xlsx'));
    const r = xinzhi('import', join(ws.path, 'budget.xlsx'), '--sheet', 'Budget', '--header-row', '2', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = r.json();
    expect(Object.keys(out).sort()).toEqual(['columns', 'datasetId', 'rowCount', 'skippedRows', 'versionId']);
    expect(out).toMatchObject({ rowCount: 2, columns: [{ name: 'dept', type: 'text' }, { name: 'amount', type: 'real' }] });
    datasetId = out.datasetId as string;

    const db = new Database(join(ws.path, 'shop.db'));
    db.exec("CREATE TABLE sales (region TEXT, amount REAL); INSERT INTO sales VALUES ('east', 10.5), ('west', 3); CREATE TABLE other (x)");
    db.close();
    const q = xinzhi('import', join(ws.path, 'shop.db'), '--query', 'SELECT region, amount FROM sales WHERE amount > 5', '--json');
    expect(q.code, q.stderr).toBe(0);
    expect(q.json()).toMatchObject({ rowCount: 1, columns: [{ name: 'region', type: 'text' }, { name: 'amount', type: 'real' }] });
    const t = xinzhi('import', join(ws.path, 'shop.db'), '--table', 'sales', '--json');
    expect(t.json()).toMatchObject({ rowCount: 2 });

    const bad = xinzhi('import', join(ws.path, 'shop.db'), '--query', 'DROP TABLE sales', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json()).toMatchObject({ error: { code: 'E_SQL_REJECTED' } });
    writeFileSync(join(ws.path, 'bad.ndjson'), '{"a":1}\n{"a":\n');
    const nd = xinzhi('import', join(ws.path, 'bad.ndjson'), '--json');
    expect(nd.code).toBe(1);
    expect(nd.json()).toMatchObject({ error: { code: 'E_IMPORT_MALFORMED', params: { format: 'NDJSON', where: 'line 2' } } });
  });

  it('edits metadata, keeps a glossary, and finds the dataset by tag and term', { timeout: 300_000 }, () => {
    expect(xinzhi('glossary', 'set', 'Opex', 'Operating expenses', '--json').json()).toMatchObject({ term: 'Opex', links: [] });
    const meta = xinzhi('meta', datasetId, '--owner', 'Finance', '--tag', 'budget', '--tag', 'fy2024', '--term', 'Opex@amount', '--sensitivity', 'internal', '--description', '2024 年部门预算', '--json');
    expect(meta.code, meta.stderr).toBe(0);
    expect(meta.json()).toMatchObject({ owner: 'Finance', tags: ['budget', 'fy2024'], sensitivity: 'internal', terms: [{ term: 'Opex', column: 'amount' }] });
    expect(xinzhi('meta', datasetId, '--untag', 'fy2024', '--json').json()).toMatchObject({ tags: ['budget'], owner: 'Finance' });

    const byTag = xinzhi('search', 'budget', '--json').json() as { hits: { datasetId: string; matches: { field: string }[] }[] };
    expect(byTag.hits.map((h) => h.datasetId)).toEqual([datasetId]);
    expect(byTag.hits[0]!.matches.map((m) => m.field)).toEqual(expect.arrayContaining(['name', 'tag']));
    expect((xinzhi('search', 'opex', '--json').json() as { hits: unknown[] }).hits).toHaveLength(1);
    expect((xinzhi('search', '预算', '--json').json() as { hits: unknown[] }).hits).toHaveLength(1);
    const text = xinzhi('search', 'budget');
    expect(text.stdout).toContain('«budget»');

    const wrong = xinzhi('meta', datasetId, '--term', 'Nope', '--json');
    expect(wrong.code).toBe(1);
    expect(wrong.json()).toMatchObject({ error: { code: 'E_INVALID_INPUT' } });
  });
});
