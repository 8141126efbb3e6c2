/** Stored profiles, quality rules and rule runs (tables of the governance migration). */
import { randomBytes } from 'node:crypto';
import type { Db } from './connection.js';
import { nowIso } from './ids.js';
import type { DatasetProfile, Rule, RuleResult, RuleRun, RuleSpec } from '../../shared/model/quality.js';
import { XinzhiError } from '../../shared/model/errors.js';

interface RunRow {
  id: number;
  version_id: string;
  number: number;
  ran_at: string;
  results: string;
}

const toRun = (r: RunRow): RuleRun => {
  const results = JSON.parse(r.results) as RuleResult[];
  const passed = results.filter((x) => x.passed).length;
  return { id: r.id, versionId: r.version_id, versionNumber: r.number, ranAt: r.ran_at, passed, failed: results.length - passed, results };
};

export class QualityRepo {
  constructor(private readonly db: Db) {}

  getProfile(versionId: string): DatasetProfile | null {
    const row = this.db.prepare('SELECT profile FROM profiles WHERE version_id = ?').get(versionId) as { profile: string } | undefined;
    return row ? (JSON.parse(row.profile) as DatasetProfile) : null;
  }

  saveProfile(profile: DatasetProfile): void {
    this.db.prepare('INSERT OR REPLACE INTO profiles (version_id, profile, created_at) VALUES (?, ?, ?)').run(profile.versionId, JSON.stringify(profile), profile.createdAt);
  }

  /** Versions of a dataset that have no stored profile, oldest first. */
  unprofiledVersions(datasetId: string): string[] {
    return this.db
      .prepare('SELECT v.id FROM versions v LEFT JOIN profiles p ON p.version_id = v.id WHERE v.dataset_id = ? AND p.version_id IS NULL ORDER BY v.number')
      .pluck()
      .all(datasetId) as string[];
  }

  listRules(datasetId: string): Rule[] {
    const rows = this.db.prepare('SELECT id, dataset_id, spec, created_at FROM quality_rules WHERE dataset_id = ? ORDER BY created_at, id').all(datasetId) as {
      id: string;
      dataset_id: string;
      spec: string;
      created_at: string;
    }[];
    return rows.map((r) => ({ id: r.id, datasetId: r.dataset_id, spec: JSON.parse(r.spec) as RuleSpec, createdAt: r.created_at }));
  }

  getRule(ruleId: string): Rule {
    const row = this.db.prepare('SELECT dataset_id FROM quality_rules WHERE id = ?').get(ruleId) as { dataset_id: string } | undefined;
    if (!row) throw new XinzhiError('E_NOT_FOUND', `No rule ${ruleId}`, { what: 'Rule', id: ruleId });
    return this.listRules(row.dataset_id).find((r) => r.id === ruleId)!;
  }

  insertRule(datasetId: string, spec: RuleSpec): Rule {
    const rule: Rule = { id: `rule_${randomBytes(6).toString('hex')}`, datasetId, spec, createdAt: nowIso() };
    this.db.prepare('INSERT INTO quality_rules (id, dataset_id, spec, created_at) VALUES (?, ?, ?, ?)').run(rule.id, datasetId, JSON.stringify(spec), rule.createdAt);
    return rule;
  }

  deleteRule(ruleId: string): boolean {
    return this.db.prepare('DELETE FROM quality_rules WHERE id = ?').run(ruleId).changes > 0;
  }

  insertRun(versionId: string, results: RuleResult[]): RuleRun {
    const info = this.db.prepare('INSERT INTO rule_runs (version_id, ran_at, results) VALUES (?, ?, ?)').run(versionId, nowIso(), JSON.stringify(results));
    return this.runs({ runId: Number(info.lastInsertRowid) }, 1)[0]!;
  }

  latestRun(versionId: string): RuleRun | null {
    return this.runs({ versionId }, 1)[0] ?? null;
  }

  runs(filter: { datasetId?: string; versionId?: string; runId?: number }, limit: number): RuleRun[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.datasetId) {
      where.push('v.dataset_id = ?');
      args.push(filter.datasetId);
    }
    if (filter.versionId) {
      where.push('r.version_id = ?');
      args.push(filter.versionId);
    }
    if (filter.runId !== undefined) {
      where.push('r.id = ?');
      args.push(filter.runId);
    }
    const sql = `SELECT r.id, r.version_id, v.number, r.ran_at, r.results FROM rule_runs r JOIN versions v ON v.id = r.version_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, limit) as RunRow[]).map(toRun);
  }
}
