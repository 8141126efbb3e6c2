/** Stored scenario runs: the dashboard as last computed, and the base data its what-if recomputation starts from. */
import type { Db } from './connection.js';
import { DashboardSchema, type Dashboard, type Mapping, type ScenarioRun, type ScenarioRunSummary } from '../../shared/model/scenarios.js';
import { XinzhiError } from '../../shared/model/errors.js';

interface RunRow {
  id: string;
  scenario_id: string;
  source: string;
  mapping: string;
  model_ids: string;
  facts: string;
  base: string;
  dashboard: string;
  job_id: string | null;
  created_at: string;
  updated_at: string;
}

const toRun = (r: RunRow): ScenarioRun => ({
  id: r.id,
  scenarioId: r.scenario_id as ScenarioRun['scenarioId'],
  source: r.source as ScenarioRun['source'],
  mapping: JSON.parse(r.mapping) as Mapping,
  modelIds: JSON.parse(r.model_ids) as string[],
  facts: JSON.parse(r.facts) as ScenarioRun['facts'],
  dashboard: DashboardSchema.parse(JSON.parse(r.dashboard)),
  jobId: r.job_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class ScenariosRepo {
  constructor(private readonly db: Db) {}

  insert(run: ScenarioRun, base: unknown): void {
    this.db
      .prepare('INSERT INTO scenario_runs (id, scenario_id, source, mapping, model_ids, facts, base, dashboard, job_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(run.id, run.scenarioId, run.source, JSON.stringify(run.mapping), JSON.stringify(run.modelIds), JSON.stringify(run.facts), JSON.stringify(base), JSON.stringify(run.dashboard), run.jobId, run.createdAt, run.updatedAt);
  }

  get(id: string): ScenarioRun {
    return toRun(this.row(id));
  }

  base(id: string): unknown {
    return JSON.parse(this.row(id).base) as unknown;
  }

  updateDashboard(id: string, dashboard: Dashboard, updatedAt: string): void {
    this.db.prepare('UPDATE scenario_runs SET dashboard = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(dashboard), updatedAt, id);
  }

  list(scenarioId?: string): ScenarioRunSummary[] {
    const rows = (
      scenarioId
        ? this.db.prepare('SELECT * FROM scenario_runs WHERE scenario_id = ? ORDER BY created_at DESC').all(scenarioId)
        : this.db.prepare('SELECT * FROM scenario_runs ORDER BY created_at DESC').all()
    ) as RunRow[];
    return rows.map((r) => {
      const run = toRun(r);
      return { id: run.id, scenarioId: run.scenarioId, source: run.source, createdAt: run.createdAt, updatedAt: run.updatedAt, kpis: run.dashboard.kpis };
    });
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM scenario_runs WHERE id = ?').run(id).changes > 0;
  }

  private row(id: string): RunRow {
    const row = this.db.prepare('SELECT * FROM scenario_runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new XinzhiError('E_NOT_FOUND', `No scenario run ${id}`, { what: 'Scenario run', id });
    return row;
  }
}
