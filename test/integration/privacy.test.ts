// Anonymisation end to end (contract → job → worker → new version with lineage), every guarantee checked by an
// independent check written here: group the exported rows by their quasi-identifiers and count.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataset, importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';
import type { AnonymiseResult, PrivacyConfigInput } from '../../src/shared/model/privacy.js';
import type { Job } from '../../src/shared/model/jobs.js';

let t: TestApp;
const tmp = tempDir();
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
  tmp.remove();
});

async function anonymise(versionId: string, config: PrivacyConfigInput, baseDir?: string): Promise<Job> {
  const { jobId } = await t.api.privacy.anonymise({ versionId, config: config as never, ...(baseDir ? { baseDir } : {}) });
  return t.app.jobs.wait(jobId);
}

/** Independent check: the exported CSV's rows grouped by the given columns (a tiny CSV reader for plain data). */
function exportedClasses(path: string, qi: string[]): { header: string[]; rows: string[][]; classes: Map<string, string[][]> } {
  const [headerLine, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = headerLine!.split(',');
  const rows = lines.map((l) => l.split(','));
  const idx = qi.map((q) => header.indexOf(q));
  const classes = new Map<string, string[][]>();
  for (const r of rows) {
    const key = JSON.stringify(idx.map((i) => r[i]));
    classes.set(key, [...(classes.get(key) ?? []), r]);
  }
  return { header, rows, classes };
}

const ADULT_QI = ['age', 'education', 'marital-status', 'native-country', 'race', 'sex', 'workclass', 'occupation'];

describe('anonymise', () => {
  it('makes Adult 5-anonymous with the shipped example config, as a new version with lineage and audit', async () => {
    const imported = await importOk(t, { path: dataset('adult', 'adult_all.csv') });
    const configPath = join(repoRoot, 'assets', 'examples', 'privacy', 'adult-k5.json');
    const job = await anonymise(imported.versionId, JSON.parse(readFileSync(configPath, 'utf8')), join(repoRoot, 'assets', 'examples', 'privacy'));
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const result = job.result as AnonymiseResult;
    expect(result.suppressedRows).toBe(0);
    expect(result.rowCount).toBe(48_842);
    expect(Object.keys(result.node).sort()).toEqual([...ADULT_QI].sort());
    expect(result.risk.before.prosecutorMax).toBe(1);
    expect(result.risk.after.prosecutorMax).toBeLessThanOrEqual(1 / 5);

    const version = await t.api.catalog.getVersion({ versionId: result.versionId });
    expect(version).toMatchObject({ parentId: imported.versionId, operation: 'anonymise', number: 2, datasetId: imported.datasetId });
    const out = join(tmp.path, 'adult-k5.csv');
    await t.api.catalog.exportVersion({ versionId: result.versionId, path: out });
    const { rows, classes } = exportedClasses(out, ADULT_QI);
    expect(rows).toHaveLength(48_842);
    const smallest = Math.min(...[...classes.values()].map((c) => c.length));
    expect(smallest).toBeGreaterThanOrEqual(5);
    expect(classes.size).toBe(result.classes);
    const lineage = t.app.db.prepare('SELECT parent_id, relation FROM lineage WHERE child_id = ?').get(result.versionId);
    expect(lineage).toEqual({ parent_id: imported.versionId, relation: 'anonymise' });
    const { entries } = await t.api.audit.listEntries({ limit: 3 });
    expect(entries.find((e) => e.action === 'version.anonymise')).toMatchObject({ target: result.versionId, details: { parent: imported.versionId, rows: 48_842 } });
    expect((await t.api.audit.verifyChain({})).ok).toBe(true);
  });

  it('recodes Adult locally with Mondrian (5-anonymous, finer than full-domain) and reports ML utility for both', async () => {
    const imported = await importOk(t, { path: dataset('adult', 'adult_all.csv') });
    const base = JSON.parse(readFileSync(join(repoRoot, 'assets', 'examples', 'privacy', 'adult-k5.json'), 'utf8')) as PrivacyConfigInput;
    const baseDir = join(repoRoot, 'assets', 'examples', 'privacy');
    const optimal = (await anonymise(imported.versionId, { ...base, utility: { target: 'income' } }, baseDir)).result as AnonymiseResult;
    const local = await anonymise(imported.versionId, { ...base, algorithm: 'mondrian', utility: { target: 'income' } }, baseDir);
    expect(local.state, JSON.stringify(local.error)).toBe('succeeded');
    const mondrian = local.result as AnonymiseResult;
    expect(mondrian).toMatchObject({ algorithm: 'mondrian', suppressedRows: 0, node: {}, infoLoss: { loss: null } });
    expect(mondrian.classes).toBeGreaterThan(optimal.classes);
    expect(mondrian.infoLoss.granularity).toBeLessThan(optimal.infoLoss.granularity);
    const out = join(tmp.path, 'adult-mondrian.csv');
    await t.api.catalog.exportVersion({ versionId: mondrian.versionId, path: out });
    const { classes } = exportedClasses(out, ADULT_QI);
    expect(Math.min(...[...classes.values()].map((c) => c.length))).toBeGreaterThanOrEqual(5);
    for (const r of [optimal, mondrian]) {
      expect(r.utility!.target).toBe('income');
      expect(r.utility!.accuracyOriginal).toBeGreaterThan(0.8);
      expect(r.utility!.delta).toBeCloseTo(r.utility!.accuracyAnonymised - r.utility!.accuracyOriginal, 12);
    }
    expect(mondrian.utility!.accuracyAnonymised).toBeGreaterThan(optimal.utility!.accuracyAnonymised);
  });

  it('drops or pseudonymises identifying columns: no raw identifier reaches the version, the export or the audit log', async () => {
    const imported = await importOk(t, { path: dataset('pii_synthetic', 'FakeNameGenerator.com_3000.csv') });
    const config: PrivacyConfigInput = {
      columns: {
        GivenName: { role: 'identifying' },
        Surname: { role: 'identifying' },
        EmailAddress: { role: 'identifying', transform: { kind: 'pseudonymise' } },
        TelephoneNumber: { role: 'identifying', transform: { kind: 'mask', keepFirst: 2, keepLast: 2 } },
        Gender: { role: 'quasi', hierarchy: { rows: [['male', '*'], ['female', '*']] } },
        Age: { role: 'quasi', hierarchy: { interval: { widths: [5, 10, 20] } } },
        Occupation: { role: 'sensitive' },
      },
      models: [{ model: 'k-anonymity', k: 10 }],
      suppressionLimit: 2,
    };
    const job = await anonymise(imported.versionId, config);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const result = job.result as AnonymiseResult;
    const out = join(tmp.path, 'pii.csv');
    await t.api.catalog.exportVersion({ versionId: result.versionId, path: out });
    const text = readFileSync(out, 'utf8');
    const source = readFileSync(dataset('pii_synthetic', 'FakeNameGenerator.com_3000.csv'), 'utf8').split('\n').slice(1, 200).map((l) => l.split(','));
    for (const r of source) {
      if (!r[14] || !r[17]) continue;
      expect(text).not.toContain(r[14]!); // e-mail address
      expect(text).not.toContain(r[17]!); // full telephone number
    }
    const { header, classes } = exportedClasses(out, ['Gender', 'Age']);
    expect(header).not.toContain('GivenName');
    expect(header).not.toContain('Surname');
    expect(Math.min(...[...classes.values()].map((c) => c.length))).toBeGreaterThanOrEqual(10);
    const audit = JSON.stringify((await t.api.audit.listEntries({ limit: 5 })).entries);
    for (const r of source.slice(0, 50)) expect(audit).not.toContain(r[14]!);
  });

  it('keeps reversible pseudonyms re-identifiable with the workspace key, audited without the value', async () => {
    const imported = await importOk(t, { path: dataset('pii_synthetic', 'FakeNameGenerator.com_3000.csv') });
    const job = await anonymise(imported.versionId, {
      columns: {
        EmailAddress: { role: 'identifying', transform: { kind: 'pseudonymise', reversible: true } },
        Gender: { role: 'quasi', hierarchy: { rows: [['male', '*'], ['female', '*']] } },
      },
      models: [{ model: 'k-anonymity', k: 5 }],
    });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const versionId = (job.result as AnonymiseResult).versionId;
    const original = await t.api.catalog.queryRows({ versionId: imported.versionId, limit: 3 });
    const pseudonymised = await t.api.catalog.queryRows({ versionId, limit: 3 });
    const emailIn = original.columns.findIndex((c) => c.name === 'EmailAddress');
    const emailOut = pseudonymised.columns.findIndex((c) => c.name === 'EmailAddress');
    const pseudonym = pseudonymised.rows[0]![emailOut] as string;
    expect(pseudonym).not.toBe(original.rows[0]![emailIn]);
    const back = await t.api.privacy.reidentify({ versionId, column: 'EmailAddress', pseudonym, reason: 'fraud investigation #42' });
    expect(back.value).toBe(original.rows[0]![emailIn]);
    expect((await t.api.privacy.reidentify({ versionId, column: 'EmailAddress', pseudonym: 'not-a-pseudonym', reason: 'check' })).value).toBeNull();
    const audit = (await t.api.audit.listEntries({ limit: 2 })).entries;
    expect(audit[1]).toMatchObject({ action: 'privacy.reidentify', details: { found: true, reason: 'fraud investigation #42' } });
    expect(JSON.stringify(audit)).not.toContain(String(original.rows[0]![emailIn]));
    await expect(t.api.privacy.reidentify({ versionId: imported.versionId, column: 'EmailAddress', pseudonym, reason: 'x y z' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });

  it('reaches l-diversity and t-closeness on German credit, checked independently', async () => {
    const imported = await importOk(t, { path: dataset('german_credit', 'german.csv') });
    const columns = {
      age: { role: 'quasi' as const, hierarchy: { interval: { widths: [5, 10, 20, 40] } } },
      personal_status: { role: 'quasi' as const, hierarchy: { rows: [['A91', 'male', '*'], ['A92', 'female', '*'], ['A93', 'male', '*'], ['A94', 'male', '*'], ['A95', 'female', '*']] } },
      purpose: { role: 'sensitive' as const },
    };
    const l = await anonymise(imported.versionId, { columns, models: [{ model: 'k-anonymity', k: 3 }, { model: 'l-diversity', variant: 'distinct', l: 3, column: 'purpose' }] });
    expect(l.state, JSON.stringify(l.error)).toBe('succeeded');
    const lOut = join(tmp.path, 'german-l.csv');
    await t.api.catalog.exportVersion({ versionId: (l.result as AnonymiseResult).versionId, path: lOut });
    const lc = exportedClasses(lOut, ['age', 'personal_status']);
    const purposeIdx = lc.header.indexOf('purpose');
    for (const rows of lc.classes.values()) {
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(new Set(rows.map((r) => r[purposeIdx])).size).toBeGreaterThanOrEqual(3);
    }

    const tc = await anonymise(imported.versionId, { columns, models: [{ model: 't-closeness', t: 0.3, column: 'purpose', distance: 'equal' }] });
    expect(tc.state, JSON.stringify(tc.error)).toBe('succeeded');
    const tOut = join(tmp.path, 'german-t.csv');
    await t.api.catalog.exportVersion({ versionId: (tc.result as AnonymiseResult).versionId, path: tOut });
    const tcc = exportedClasses(tOut, ['age', 'personal_status']);
    const all = new Map<string, number>();
    for (const r of tcc.rows) all.set(r[purposeIdx]!, (all.get(r[purposeIdx]!) ?? 0) + 1);
    for (const rows of tcc.classes.values()) {
      const here = new Map<string, number>();
      for (const r of rows) here.set(r[purposeIdx]!, (here.get(r[purposeIdx]!) ?? 0) + 1);
      let emd = 0;
      for (const [v, count] of all) emd += Math.abs((here.get(v) ?? 0) / rows.length - count / tcc.rows.length);
      expect(emd / 2).toBeLessThanOrEqual(0.3 + 1e-9);
    }
  });

  it('suggests a setup from names and value shapes that anonymises as it stands', async () => {
    const adult = await importOk(t, { path: dataset('adult', 'adult_all.csv') });
    const suggested = await t.api.privacy.suggestSetup({ versionId: adult.versionId });
    const roles = Object.fromEntries(Object.entries(suggested.config.columns).map(([name, c]) => [name, c.role]));
    expect(roles).toMatchObject({ age: 'quasi', sex: 'quasi', race: 'quasi', education: 'quasi', 'marital-status': 'quasi', occupation: 'quasi', 'native-country': 'quasi', workclass: 'quasi', income: 'sensitive', fnlwgt: 'insensitive' });
    expect(suggested.config.columns.age!.hierarchy).toMatchObject({ interval: {} });
    const job = await anonymise(adult.versionId, suggested.config);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');

    const pii = await importOk(t, { path: dataset('pii_synthetic', 'FakeNameGenerator.com_3000.csv') });
    const piiRoles = (await t.api.privacy.suggestSetup({ versionId: pii.versionId })).config.columns;
    for (const name of ['GivenName', 'Surname', 'EmailAddress', 'TelephoneNumber', 'StreetAddress', 'Username', 'Password']) expect(piiRoles[name]?.role, name).toBe('identifying');
    for (const name of ['Gender', 'Age', 'ZipCode', 'City']) expect(piiRoles[name]?.role, name).toBe('quasi');

    const preview = await t.api.privacy.previewHierarchy({ versionId: adult.versionId, column: 'sex', hierarchy: { rows: [['Male', '*']] } });
    expect(preview).toMatchObject({ levels: 2, distinctValues: 2, missing: ['Female'] });
    await expect(t.api.privacy.previewHierarchy({ versionId: adult.versionId, column: 'sex', hierarchy: { rows: [['Male', '*'], ['Male', 'x']] } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });

  it('suppresses cells instead of records when asked: the records stay, their quasi-identifiers become *', async () => {
    const imported = await importOk(t, { path: dataset('german_credit', 'german.csv') });
    const columns = {
      age: { role: 'quasi' as const, hierarchy: { interval: { widths: [5, 10] } } },
      personal_status: { role: 'quasi' as const, hierarchy: { rows: [['A91', 'male', '*'], ['A92', 'female', '*'], ['A93', 'male', '*'], ['A94', 'male', '*'], ['A95', 'female', '*']] } },
    };
    const job = await anonymise(imported.versionId, { columns, models: [{ model: 'k-anonymity', k: 20 }], suppressionLimit: 10, suppression: 'cell' });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const result = job.result as AnonymiseResult;
    expect(result.rowCount).toBe(1000);
    expect(result.suppressedRows).toBeGreaterThan(0);
    expect(result.suppressedRows).toBeLessThanOrEqual(100);
    const out = join(tmp.path, 'german-cells.csv');
    await t.api.catalog.exportVersion({ versionId: result.versionId, path: out });
    const { rows, classes } = exportedClasses(out, ['age', 'personal_status']);
    expect(rows).toHaveLength(1000);
    const starred = classes.get(JSON.stringify(['*', '*'])) ?? [];
    expect(starred.length).toBe(result.suppressedRows);
    for (const [key, members] of classes) if (key !== JSON.stringify(['*', '*'])) expect(members.length).toBeGreaterThanOrEqual(20);
  });

  it('fails clearly when no generalisation satisfies the models, and publishes nothing', async () => {
    const imported = await importOk(t, { path: dataset('german_credit', 'german.csv') });
    const before = (await t.api.catalog.getDataset({ datasetId: imported.datasetId })).versions.length;
    const job = await anonymise(imported.versionId, {
      columns: { age: { role: 'quasi', hierarchy: { interval: { widths: [10] } } } },
      models: [{ model: 'k-anonymity', k: 2000 }],
    });
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('E_PRIVACY_UNSATISFIABLE');
    expect((await t.api.catalog.getDataset({ datasetId: imported.datasetId })).versions.length).toBe(before);
    await expect(t.api.privacy.anonymise({ versionId: imported.versionId, config: { columns: {}, models: [] } as never })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });
});
