// Scenario pipelines through the contract: sample runs as one job, stored runs, what-if recomputation, own-data mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOk, openTestApp, type TestApp } from '../helpers.js';
import type { ScenarioRun } from '../../src/shared/model/scenarios.js';
import { generateServiceSample, serviceTablesCsv } from '../../src/main/core/scenarios/service-desk.js';
import { generateShopSample, shopTablesCsv } from '../../src/main/core/scenarios/retail.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

async function runSample(scenarioId: ScenarioRun['scenarioId']): Promise<ScenarioRun> {
  const { jobId } = await t.api.scenarios.runSample({ scenarioId });
  const job = await t.app.jobs.wait(jobId);
  expect(job.error).toBeNull();
  expect(job.state).toBe('succeeded');
  expect(job.kind).toBe('scenario');
  return t.api.scenarios.getRun({ runId: (job.result as { runId: string }).runId });
}

const kpi = (run: ScenarioRun, key: string) => run.dashboard.kpis.find((k) => k.key === key)?.value ?? null;

describe('scenarios', () => {
  it('lists the finished templates with roles', async () => {
    const templates = await t.api.scenarios.listTemplates({});
    expect(templates.map((x) => x.id)).toEqual(['production-planning', 'predictive-maintenance', 'credit-risk', 'supply-chain', 'retail-recommendation', 'customer-service']);
    expect(templates[0]?.tables.map((x) => x.key)).toEqual(['products', 'resources', 'usage']);
  });

  it('production planning: the sample plan, re-solved by what-if, infeasibility explained', async () => {
    const run = await runSample('production-planning');
    expect(run.source).toBe('sample');
    expect(kpi(run, 'profit')).toBeGreaterThan(0);
    expect(run.dashboard.tables.find((x) => x.key === 'plan')?.rows).toHaveLength(6);
    expect(run.dashboard.tables.find((x) => x.key === 'resources')?.rows).toHaveLength(7);
    const binding = run.dashboard.tables.find((x) => x.key === 'resources')!.rows.find((r) => (r[4] as number) > 0)!;
    const more = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { [`cap:${binding[0] as string}`]: 150 } });
    expect(kpi(more, 'profit')).toBeGreaterThan(kpi(run, 'profit') as number);
    // The stored run holds the new setting (what a PDF snapshot is made from).
    const stored = await t.api.scenarios.getRun({ runId: run.id });
    expect(stored.dashboard.whatIf[`cap:${binding[0] as string}`]).toBe(150);
    expect(kpi(stored, 'profit')).toBe(kpi(more, 'profit'));
    const infeasible = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { demandMin: 300, [`cap:${binding[0] as string}`]: 10 } });
    expect(kpi(infeasible, 'profit')).toBeNull();
    expect(infeasible.dashboard.notes.map((n) => n.key)).toContain('planInfeasible');
    expect(infeasible.dashboard.notes.some((n) => n.key.startsWith('conflict'))).toBe(true);
    await expect(t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { price: 1000 } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    await expect(t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { nonsense: 1 } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
  });

  it('production planning from own tables: mapping validated with clear problems, then run', async () => {
    const dir = t.workspace;
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const products = await importOk(t, { path: write('p.csv', 'item,margin_price,lo,hi\nA,3,0,100\nB,5,0,100\n') });
    const resources = await importOk(t, { path: write('r.csv', 'plant,hours\nP1,4\nP2,12\nP3,18\n') });
    const usage = await importOk(t, { path: write('u.csv', 'item,plant,h\nA,P1,1\nB,P2,2\nA,P3,3\nB,P3,2\n') });
    const badUsage = await importOk(t, { path: write('bad.csv', 'item,plant,h\nA,P9,1\nB,P2,x\n') });
    const mapping = {
      products: { versionId: products.versionId, columns: { product: 'item', price: 'margin_price', minDemand: 'lo', maxDemand: 'hi' } },
      resources: { versionId: resources.versionId, columns: { resource: 'plant', capacity: 'hours' } },
      usage: { versionId: usage.versionId, columns: { product: 'item', resource: 'plant', amount: 'h' } },
    };
    const bad = await t.api.scenarios.validateMapping({ scenarioId: 'production-planning', mapping: { ...mapping, usage: { versionId: badUsage.versionId, columns: { product: 'item', resource: 'plant', amount: 'h' } } } });
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.code)).toContain('notNumeric');
    const missing = await t.api.scenarios.validateMapping({ scenarioId: 'production-planning', mapping: { ...mapping, resources: { versionId: resources.versionId, columns: { resource: 'plant' } } } });
    expect(missing.problems).toMatchObject([{ table: 'resources', role: 'capacity', code: 'roleMissing' }]);
    await expect(t.api.scenarios.runOwn({ scenarioId: 'production-planning', mapping: { ...mapping, resources: { versionId: resources.versionId, columns: { resource: 'plant' } } } })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' });
    expect((await t.api.scenarios.validateMapping({ scenarioId: 'production-planning', mapping })).ok).toBe(true);
    const { jobId } = await t.api.scenarios.runOwn({ scenarioId: 'production-planning', mapping });
    const job = await t.app.jobs.wait(jobId);
    expect(job.state).toBe('succeeded');
    const run = await t.api.scenarios.getRun({ runId: (job.result as { runId: string }).runId });
    expect(run.source).toBe('own');
    // Wyndor Glass: 36 at (2, 6), shadow prices 0, 1.5, 1.
    expect(kpi(run, 'profit')).toBeCloseTo(36, 6);
    expect(run.dashboard.tables.find((x) => x.key === 'resources')?.rows.map((r) => r[4])).toEqual([0, 1.5, 1]);
  });

  it('supply chain: the sample network, single points of failure, a supplier failure propagated', async () => {
    const run = await runSample('supply-chain');
    const graph = run.dashboard.charts.find((c) => c.key === 'network')!;
    expect(graph.nodes!.length).toBeGreaterThan(40);
    expect(graph.links!.length).toBeGreaterThan(40);
    expect(kpi(run, 'articulationPoints')).toBeGreaterThan(0);
    expect(kpi(run, 'revenueAtRisk')).toBe(0);
    // The supplier of the most single-sourced parts: its failure loses products and revenue.
    const failing = run.dashboard.controls.map((c) => c.key);
    let worst = run;
    for (const key of failing) {
      const next = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { ...Object.fromEntries(failing.map((k) => [k, 0])), [key]: 1 } });
      if ((kpi(next, 'revenueAtRisk') as number) > (kpi(worst, 'revenueAtRisk') as number)) worst = next;
    }
    expect(kpi(worst, 'revenueAtRisk')).toBeGreaterThan(0);
    expect(kpi(worst, 'productsLost')).toBeGreaterThan(0);
    expect(worst.dashboard.notes[0]?.key).toBe('supplyImpact');
  });

  it('predictive maintenance on AI4I 2020: classifier, anomaly detector and explanation through the Model studio', async () => {
    const run = await runSample('predictive-maintenance');
    expect(run.modelIds).toHaveLength(2);
    const models = await t.api.training.listModels({});
    const classifier = models.find((m) => m.id === run.modelIds[0])!;
    expect(classifier.features).not.toContain('TWF');
    expect(classifier.features).not.toContain('UDI');
    expect(classifier.features).not.toContain('Product ID');
    expect(run.dashboard.charts.find((c) => c.key === 'failureTypes')?.series[0]?.values).toEqual([46, 115, 95, 98, 19]);
    expect(run.facts.failures).toBe(339);
    expect(kpi(run, 'rocAuc')).toBeGreaterThan(0.85);
    expect(kpi(run, 'anomalyAuc')).toBeGreaterThan(0.5);
    expect(run.dashboard.charts.find((c) => c.key === 'drivers')?.x.length).toBeGreaterThan(0);
    const low = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { threshold: 0.1 } });
    expect(kpi(low, 'alerts') as number).toBeGreaterThan(kpi(run, 'alerts') as number);
    expect(kpi(low, 'recall') as number).toBeGreaterThanOrEqual(kpi(run, 'recall') as number);
  }, 240_000);

  it('credit risk on German Credit: scores, cut-off trade-off, reasons and group rates', async () => {
    const run = await runSample('credit-risk');
    expect(run.facts.bads).toBe(300);
    expect(kpi(run, 'rocAuc')).toBeGreaterThan(0.7);
    expect(run.dashboard.charts.find((c) => c.key === 'approvalBySex')?.x).toEqual(['female', 'male']);
    const reasons = run.dashboard.tables.find((x) => x.key === 'reasons')!;
    expect(reasons.rows.length).toBe(20);
    const strict = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { cutoff: 0.2 } });
    expect(kpi(strict, 'approvalRate') as number).toBeLessThan(kpi(run, 'approvalRate') as number);
    expect((await t.api.scenarios.listRuns({ scenarioId: 'credit-risk' })).map((r) => r.id)).toEqual([run.id]);
  }, 240_000);
  it('retail recommendation: mf trained on all but the latest 20 % per customer, ranking KPIs, what-if re-ranks', async () => {
    const run = await runSample('retail-recommendation');
    expect(run.modelIds).toHaveLength(1);
    const model = (await t.api.training.listModels({})).find((m) => m.id === run.modelIds[0])!;
    expect(model.family).toBe('mf');
    // The model never saw a held-out interaction: its training version has exactly the other rows.
    expect((run.facts.interactions as number) - (run.facts.heldOutInteractions as number)).toBeGreaterThan(0);
    expect(run.facts.heldOutInteractions as number).toBeGreaterThan(0.15 * (run.facts.interactions as number));
    const precision = kpi(run, 'precisionAtK') as number;
    const recall = kpi(run, 'recallAtK') as number;
    expect(precision).toBeGreaterThan(0);
    expect(recall).toBeGreaterThan(0);
    // Near recommending the most popular unbought items to everyone (the baseline, strong on this Zipf-skewed shop).
    expect(precision).toBeGreaterThan(0.8 * (kpi(run, 'baselinePrecisionAtK') as number));
    expect(kpi(run, 'coverage')).toBeGreaterThan(0);
    expect(kpi(run, 'customersEvaluated')).toBe(400);
    expect(run.dashboard.tables.find((x) => x.key === 'similar')?.rows).toHaveLength(10);
    // A longer list finds more of what customers bought; a popularity penalty recommends less popular items.
    const k20 = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { k: 20 } });
    expect(kpi(k20, 'recallAtK') as number).toBeGreaterThan(recall);
    const penalised = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { k: 10, penalty: 0.3 } });
    expect(kpi(penalised, 'popularityRecommended') as number).toBeLessThan(kpi(run, 'popularityRecommended') as number);
    expect(kpi(penalised, 'precisionAtK') as number).not.toBe(precision);
    const anchor2 = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { anchor: 2 } });
    expect(anchor2.dashboard.tables.find((x) => x.key === 'similar')?.rows).not.toEqual(penalised.dashboard.tables.find((x) => x.key === 'similar')?.rows);
  }, 240_000);

  it('retail from own tables: unknown items and bad timestamps are named', async () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(t.workspace, name), text);
      return join(t.workspace, name);
    };
    const items = await importOk(t, { path: write('items.csv', 'sku,dept\nA,x\nB,y\n') });
    const rows = await importOk(t, { path: write('rows.csv', 'user,sku,stars,date\nu1,A,5,2025-01-01\nu1,Z,3,2025-01-02\n') });
    const badTime = await importOk(t, { path: write('rows2.csv', 'user,sku,stars,date\nu1,A,5,2025-01-01\nu1,B,3,yesterday\n') });
    const mapping = (versionId: string) => ({ items: { versionId: items.versionId, columns: { item: 'sku', category: 'dept' } }, interactions: { versionId, columns: { customer: 'user', item: 'sku', rating: 'stars', time: 'date' } } });
    expect((await t.api.scenarios.validateMapping({ scenarioId: 'retail-recommendation', mapping: mapping(rows.versionId) })).problems).toMatchObject([{ code: 'unknownId', params: { id: 'Z' } }]);
    expect((await t.api.scenarios.validateMapping({ scenarioId: 'retail-recommendation', mapping: mapping(badTime.versionId) })).problems).toMatchObject([{ code: 'notTime', params: { row: 2 } }]);
  });

  it('customer service: intent and sentiment text models, routing at a confidence threshold, trend and terms', async () => {
    const run = await runSample('customer-service');
    expect(run.modelIds).toHaveLength(2);
    const models = (await t.api.training.listModels({})).filter((m) => run.modelIds.includes(m.id));
    expect(models.map((m) => m.family)).toEqual(['text', 'text']);
    expect(kpi(run, 'intentAccuracy')).toBeGreaterThan(0.8);
    expect(kpi(run, 'sentimentAccuracy')).toBeGreaterThan(0.6);
    expect(run.dashboard.charts.find((c) => c.key === 'negativeTrend')?.x.length).toBe(60);
    const terms = run.dashboard.tables.find((x) => x.key === 'terms')!;
    expect(terms.rows.length).toBeGreaterThan(5);
    const routed = kpi(run, 'routedShare') as number;
    const strict = await t.api.scenarios.updateWhatIf({ runId: run.id, whatIf: { confidence: 0.9 } });
    expect(kpi(strict, 'routedShare') as number).toBeLessThan(routed);
    expect(kpi(strict, 'humanQueue') as number).toBeGreaterThan(kpi(run, 'humanQueue') as number);
    expect(kpi(strict, 'autoAccuracy') as number).toBeGreaterThanOrEqual(kpi(run, 'autoAccuracy') as number);
    const one = await importOk(t, { path: (writeFileSync(join(t.workspace, 'msg.csv'), 'text,intent,sentiment\nhello,a,neg\nhi,b,neg\n'), join(t.workspace, 'msg.csv')) });
    const check = await t.api.scenarios.validateMapping({ scenarioId: 'customer-service', mapping: { messages: { versionId: one.versionId, columns: { message: 'text', intent: 'intent', sentiment: 'sentiment' } } } });
    expect(check.problems).toMatchObject([{ role: 'sentiment', code: 'tooFewClasses' }]);
  }, 240_000);

  it('customer service on own data: renamed columns mapped, checked and run', async () => {
    // The generator's messages under other column names, as a user's export might have them.
    const csv = serviceTablesCsv(generateServiceSample(9, 400)).messages.replace('id,time,message,intent,sentiment', 'ticket,received,body,topic,mood');
    writeFileSync(join(t.workspace, 'tickets.csv'), csv);
    const version = await importOk(t, { path: join(t.workspace, 'tickets.csv') });
    const mapping = { messages: { versionId: version.versionId, columns: { message: 'body', intent: 'topic', sentiment: 'mood', time: 'received', messageId: 'ticket' } } };
    expect((await t.api.scenarios.validateMapping({ scenarioId: 'customer-service', mapping })).ok).toBe(true);
    const { jobId } = await t.api.scenarios.runOwn({ scenarioId: 'customer-service', mapping });
    const job = await t.app.jobs.wait(jobId);
    expect(job.error).toBeNull();
    const run = await t.api.scenarios.getRun({ runId: (job.result as { runId: string }).runId });
    expect(run.source).toBe('own');
    expect(run.facts.messages).toBe(400);
    expect(kpi(run, 'intentAccuracy')).toBeGreaterThan(0.6);
    expect(run.dashboard.tables.find((x) => x.key === 'routing')?.rows[0]?.[0]).toMatch(/^M\d{5}$/);
  }, 240_000);

  it('retail on own data: a smaller shop under other column names, without ratings', async () => {
    const tables = shopTablesCsv(generateShopSample(21, 120, 60));
    writeFileSync(join(t.workspace, 'catalogue.csv'), tables.items.replace('item,name,category', 'sku,title,department'));
    // No rating column: every purchase is a positive.
    writeFileSync(join(t.workspace, 'orders.csv'), tables.interactions.replace('customer,item,rating,time', 'user_id,sku,date').replace(/^([^,\n]+,[^,\n]+),\d,/gm, '$1,'));
    const orders = (await importOk(t, { path: join(t.workspace, 'orders.csv') })).versionId;
    const catalogue = (await importOk(t, { path: join(t.workspace, 'catalogue.csv') })).versionId;
    const mapping = { items: { versionId: catalogue, columns: { item: 'sku', itemName: 'title', category: 'department' } }, interactions: { versionId: orders, columns: { customer: 'user_id', item: 'sku', time: 'date' } } };
    expect((await t.api.scenarios.validateMapping({ scenarioId: 'retail-recommendation', mapping })).problems).toEqual([]);
    const { jobId } = await t.api.scenarios.runOwn({ scenarioId: 'retail-recommendation', mapping });
    const job = await t.app.jobs.wait(jobId);
    expect(job.error).toBeNull();
    const run = await t.api.scenarios.getRun({ runId: (job.result as { runId: string }).runId });
    expect(run.facts.items).toBe(60);
    expect(kpi(run, 'customersEvaluated')).toBe(120);
    expect(kpi(run, 'recallAtK')).toBeGreaterThan(0);
  }, 240_000);
});
