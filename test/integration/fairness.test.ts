// Fairness audits end to end: contract → job → worker → stored audit with lineage and an audit-log entry; the
// threshold optimiser as a stored mitigation; a model scored on the fly; the CLI's JSON contract.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dataset, importOk, openTestApp, repoRoot, tempDir, type TestApp } from '../helpers.js';
import { retrainRequest, type AuditRecord, type PrivacyComparison, type ReweighResult } from '../../src/shared/model/fairness.js';
import type { Job } from '../../src/shared/model/jobs.js';

let t: TestApp;
const tmp = tempDir();
let versionId = '';
const reference = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/fairness/adult_reference.json', import.meta.url)), 'utf8')) as {
  intersection: { disparities: Record<string, number>; groups: { key: string; n: number; tpr: number }[] };
};

/** Adult with a rule-based prediction (education-num ≥ 13) and a score (education-num / 16). */
function writeScoredAdult(): string {
  const [header, ...lines] = readFileSync(dataset('adult', 'adult_all.csv'), 'utf8').trimEnd().split('\n');
  const edu = header!.split(',').indexOf('education-num');
  const out = [`${header},pred,score`, ...lines.map((l) => {
    const e = Number(l.split(',')[edu]);
    return `${l},${e >= 13 ? '>50K' : '<=50K'},${e / 16}`;
  })];
  const path = join(tmp.path, 'adult_scored.csv');
  writeFileSync(path, `${out.join('\n')}\n`);
  return path;
}

async function done(jobId: string): Promise<Job> {
  const job = await t.app.jobs.wait(jobId);
  if (job.state !== 'succeeded') throw new Error(`job failed: ${JSON.stringify(job.error)}`);
  return job;
}

beforeAll(async () => {
  t = await openTestApp();
  versionId = (await importOk(t, { path: writeScoredAdult() })).versionId;
});
afterAll(async () => {
  await t.close();
  tmp.remove();
});

describe('fairness service', () => {
  let audit: AuditRecord;
  it('audits a version holding predictions and stores the full result with lineage and an audit entry', async () => {
    const { jobId } = await t.api.fairness.audit({ versionId, label: 'income', prediction: 'pred', score: 'score', sensitive: ['sex', 'race'], bootstrap: 200, marginal: true });
    const job = await done(jobId);
    audit = await t.api.fairness.getAudit({ auditId: (job.result as { auditId: string }).auditId });
    expect(audit.positive).toBe('>50K'); // the rarer class: neither value looks like 1/true/yes
    expect(audit.rows).toBe(48842);
    expect(audit.result.groups.map((g) => [g.key, g.n])).toEqual(reference.intersection.groups.map((g) => [g.key, g.n]));
    for (const name of ['demographicParityDifference', 'equalizedOddsDifference', 'equalizedOddsRatio'] as const) {
      expect(Math.abs(audit.result.disparities[name]! - reference.intersection.disparities[name]!)).toBeLessThan(1e-9);
    }
    expect(audit.result.marginal!.map((m) => m.columns)).toEqual([['sex'], ['race']]);
    expect(audit.tradeoff!.length).toBe(51);
    expect(audit.result.groups.every((g) => g.calibration && g.calibration.bins.length > 0)).toBe(true);

    const lineage = t.app.db.prepare("SELECT parent_kind, parent_id FROM lineage WHERE child_kind = 'fairness_audit' AND child_id = ?").all(audit.id);
    expect(lineage).toEqual([{ parent_kind: 'version', parent_id: versionId }]);
    const entry = t.app.db.prepare("SELECT details FROM audit_log WHERE action = 'fairness.audit' AND target = ?").get(audit.id) as { details: string };
    expect(JSON.parse(entry.details)).toMatchObject({ version: versionId, sensitive: ['sex', 'race'], groups: 10 });
    // Aggregates only: no group value enters the log.
    expect(entry.details).not.toMatch(/White|Female|Black/);
    expect((await t.api.fairness.listAudits({ versionId })).map((a) => a.id)).toContain(audit.id);
  });

  it('flags groups under the minimum size and honours a chosen reference group', async () => {
    const { jobId } = await t.api.fairness.audit({ versionId, label: 'income', prediction: 'pred', sensitive: ['sex', 'race'], bootstrap: 0, minGroupSize: 200, reference: { sex: 'Female', race: 'White' } });
    const r = await t.api.fairness.getAudit({ auditId: ((await done(jobId)).result as { auditId: string }).auditId });
    expect(r.result.disparities.excludedSmallGroups.sort()).toEqual(['sex=Female, race=Amer-Indian-Eskimo', 'sex=Female, race=Other']);
    expect(r.result.reference).toEqual({ sex: 'Female', race: 'White' });
    expect(r.result.disparities.disparateImpact['sex=Female, race=Other']!.verdict).toBe('insufficient');
    expect(r.result.groups[0]!.ci).toBeNull();
  });

  it('threshold optimiser: a stored mitigation whose disparity shrinks, linked to its parent', async () => {
    const { jobId } = await t.api.fairness.mitigate({ auditId: audit.id, constraint: 'demographic_parity', tolerance: 0.03 });
    const m = await t.api.fairness.getAudit({ auditId: ((await done(jobId)).result as { auditId: string }).auditId });
    expect(m.kind).toBe('threshold');
    expect(m.parentAuditId).toBe(audit.id);
    expect(m.mitigation!.thresholds).toHaveLength(10);
    expect(m.mitigation!.before.disparity).toBeCloseTo(audit.result.disparities.demographicParityDifference!, 9);
    expect(m.result.disparities.demographicParityDifference!).toBeLessThanOrEqual(0.03 + 1e-9);
    expect(m.result.disparities.demographicParityDifference!).toBeLessThan(audit.result.disparities.demographicParityDifference! / 5);
    const parents = t.app.db.prepare("SELECT parent_kind FROM lineage WHERE child_kind = 'fairness_audit' AND child_id = ? ORDER BY parent_kind").all(m.id);
    expect(parents).toEqual([{ parent_kind: 'fairness_audit' }, { parent_kind: 'version' }]);
  });

  it('rejects bad input before any job and leaves nothing stored', async () => {
    const before = (await t.api.fairness.listAudits({})).length;
    await expect(t.api.fairness.audit({ versionId, label: 'income', prediction: 'nope', sensitive: ['sex'] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.fairness.audit({ versionId, label: 'income', sensitive: ['sex'] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.fairness.audit({ versionId, label: 'income', prediction: 'pred', sensitive: [] })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.fairness.getAudit({ auditId: 'fa_missing' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const { jobId } = await t.api.fairness.audit({ versionId, label: 'income', prediction: 'pred', sensitive: ['sex'], positive: 'maybe' });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('E_INVALID_INPUT');
    const noScore = await t.api.fairness.audit({ versionId, label: 'income', prediction: 'pred', sensitive: ['sex'], bootstrap: 0 });
    const plain = ((await done(noScore.jobId)).result as { auditId: string }).auditId;
    await expect(t.api.fairness.mitigate({ auditId: plain })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    expect((await t.api.fairness.listAudits({})).length).toBe(before + 1);
  });

  it('audits a Model studio model scored on the fly, with the same accuracy the studio evaluates', async () => {
    const train = await t.api.training.trainModel({ versionId, target: 'income', features: ['age', 'education-num', 'hours-per-week', 'capital-gain', 'sex'], family: 'logistic', epochs: 5 });
    const model = (await done(train.jobId)).result as { id: string };
    const evaluation = (await done((await t.api.training.evaluate({ modelId: model.id, versionId })).jobId)).result as { metrics: Record<string, number> };
    const { jobId } = await t.api.fairness.audit({ versionId, modelId: model.id, label: 'income', sensitive: ['sex'], bootstrap: 50 });
    const r = await t.api.fairness.getAudit({ auditId: ((await done(jobId)).result as { auditId: string }).auditId });
    expect(r.modelId).toBe(model.id);
    expect(r.result.overall.accuracy!).toBeCloseTo(evaluation.metrics.accuracy!, 9);
    expect(r.result.overall.brier).not.toBeNull();
    const lineage = t.app.db.prepare("SELECT parent_kind FROM lineage WHERE child_kind = 'fairness_audit' AND child_id = ? ORDER BY parent_kind").all(r.id);
    expect(lineage).toEqual([{ parent_kind: 'model' }, { parent_kind: 'version' }]);

    // Reweighing → a resampled version (group and label independent) → the same setup retrained → re-audit.
    const reweighed = (await done((await t.api.fairness.reweigh({ auditId: r.id })).jobId)).result as ReweighResult;
    expect(reweighed.rows).toBe(48842);
    const rates = t.app.db
      .prepare(`SELECT sex, AVG(income = '>50K') AS rate, COUNT(*) AS n FROM ${t.app.db.prepare('SELECT table_name FROM versions WHERE id = ?').pluck().get(reweighed.versionId) as string} GROUP BY sex`)
      .all() as { sex: string; rate: number; n: number }[];
    expect(rates.map((x) => x.sex)).toEqual(['Female', 'Male']);
    expect(Math.abs(rates[0]!.rate - rates[1]!.rate)).toBeLessThan(0.01); // was 0.11 vs 0.30 before
    expect(Math.abs(rates[0]!.n - 16192)).toBeLessThan(50); // group sizes kept
    const retrained = (await done((await t.api.training.trainModel(retrainRequest(await t.api.training.getModel({ modelId: model.id }), reweighed.versionId))).jobId)).result as { id: string };
    const again = await t.api.fairness.audit({ ...r.request, modelId: retrained.id, parentAuditId: r.id, name: undefined });
    const after = await t.api.fairness.getAudit({ auditId: ((await done(again.jobId)).result as { auditId: string }).auditId });
    expect(after.kind).toBe('reweighing');
    expect(after.parentAuditId).toBe(r.id);
    expect(after.mitigation).toMatchObject({ method: 'reweighing', trainingVersionId: reweighed.versionId });
    expect(after.mitigation!.before.disparity).toBe(r.result.disparities.demographicParityDifference);
    expect(after.result.disparities.demographicParityDifference!).toBeLessThan(r.result.disparities.demographicParityDifference!);
  });
});

describe('privacy × utility × fairness', () => {
  it('trains the same model on the version and its anonymised version and reports accuracy and disparity side by side', async () => {
    const anon = await t.api.privacy.anonymise({
      versionId,
      config: {
        columns: {
          age: { role: 'quasi', hierarchy: { interval: { widths: [10, 20, 40] } } },
          'hours-per-week': { role: 'quasi', hierarchy: { interval: { widths: [10, 20, 40] } } },
        },
        models: [{ model: 'k-anonymity', k: 20 }],
        suppressionLimit: 2,
      } as never,
    });
    const anonymised = (await done(anon.jobId)).result as { versionId: string; rowCount: number };
    const { jobId } = await t.api.fairness.comparePrivacy({ versionId, target: 'income', sensitive: ['sex'], features: ['age', 'education-num', 'hours-per-week', 'capital-gain'], epochs: 3, bootstrap: 50 });
    const result = (await done(jobId)).result as PrivacyComparison;
    expect(result.positive).toBe('>50K');
    expect(result.rows.map((r) => [r.versionId, r.operation])).toEqual([[versionId, 'import'], [anonymised.versionId, 'anonymise']]);
    expect(result.rows[0]!.testRows).toBe(48842 - Math.floor(48842 * 0.7));
    expect(result.rows[1]!.trainRows + result.rows[1]!.testRows).toBe(anonymised.rowCount);
    for (const r of result.rows) {
      expect(r.accuracy!).toBeGreaterThan(0.76); // above always predicting "<=50K"
      expect(r.disparity!).toBeGreaterThan(0);
      expect(r.disparityCi!.low!).toBeLessThanOrEqual(r.disparity!);
      expect(r.groups).toBe(2);
    }
    const entry = t.app.db.prepare("SELECT target FROM audit_log WHERE action = 'fairness.compare_privacy'").get() as { target: string };
    expect(entry.target).toBe(versionId);
  });
});

describe('fairness CLI', () => {
  it('prints the JSON contract: groups, disparities (with disparate impact per group) and the reference', async () => {
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', t.workspace, '--json', 'fairness', versionId, '--label', 'income', '--prediction', 'pred', '--sensitive', 'sex,race', '--bootstrap', '100', '--reference', 'sex=Male,race=White', '--marginal'],
      { encoding: 'utf8', env: { ...process.env, LANG: 'C' } },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { groups: Record<string, unknown>[]; disparities: Record<string, unknown>; reference: Record<string, string> };
    expect(out.reference).toEqual({ sex: 'Male', race: 'White' });
    expect(Object.keys(out.groups[0]!)).toEqual(expect.arrayContaining(['attributes', 'n', 'baseRate', 'selectionRate', 'accuracy', 'tpr', 'fpr', 'fnr', 'tnr', 'ppv', 'npv', 'fdr', 'for', 'ci', 'small']));
    expect(out.groups[0]!.attributes).toEqual({ sex: 'Female', race: 'Amer-Indian-Eskimo' });
    expect(Object.keys(out.disparities)).toEqual(expect.arrayContaining(['demographicParityDifference', 'demographicParityRatio', 'equalizedOddsDifference', 'equalizedOddsRatio', 'equalOpportunityDifference', 'disparateImpact']));
    expect(Object.keys(out.disparities.disparateImpact as object)).toHaveLength(10);
    expect(out.marginal).toHaveLength(2);
    const list = spawnSync(process.execPath, [join(repoRoot, 'bin', 'xinzhi.mjs'), '--workspace', t.workspace, '--json', 'fairness-list'], { encoding: 'utf8' });
    expect((JSON.parse(list.stdout) as { id: string }[]).map((a) => a.id)).toContain(out.auditId);
  });
});
