/** The wizard's working copy of a privacy setup, and how it becomes an anonymise request. */
import type { Column } from '../../../shared/model/catalog.js';
import type { ColumnRole, ColumnTransformSpec, HierarchySpec, PrivacyConfig, PrivacyModel } from '../../../shared/model/privacy.js';

export interface ColumnDraft {
  role: ColumnRole;
  transform?: ColumnTransformSpec | undefined;
  hierarchy?: HierarchySpec | undefined;
}

export interface ModelsDraft {
  k: number;
  lEnabled: boolean;
  lVariant: 'distinct' | 'entropy' | 'recursive';
  l: number;
  c: number;
  lColumn: string | null;
  tEnabled: boolean;
  t: number;
  tColumn: string | null;
  tDistance: 'equal' | 'ordered' | 'hierarchical';
  suppressionLimit: number;
  metric: PrivacyConfig['metric'];
  algorithm: PrivacyConfig['algorithm'];
  suppression: PrivacyConfig['suppression'];
  /** Column to predict for the utility check (train the same quick model before and after); null: skip it. */
  utilityTarget: string | null;
}

export interface SetupDraft {
  columns: Record<string, ColumnDraft>;
  models: ModelsDraft;
}

export const ROLES: readonly ColumnRole[] = ['identifying', 'quasi', 'sensitive', 'insensitive'];

export function isNumeric(column: Column | undefined): boolean {
  return column?.type === 'integer' || column?.type === 'real';
}

export function hierarchyKind(spec: HierarchySpec | undefined): 'interval' | 'date' | 'prefix' | 'rows' | 'file' | 'none' {
  if (!spec) return 'none';
  if ('interval' in spec) return 'interval';
  if ('date' in spec) return 'date';
  if ('prefix' in spec) return 'prefix';
  if ('rows' in spec) return 'rows';
  return 'file';
}

export function draftFromConfig(config: PrivacyConfig): SetupDraft {
  const columns: Record<string, ColumnDraft> = {};
  for (const [name, c] of Object.entries(config.columns)) columns[name] = { role: c.role, transform: c.transform, hierarchy: c.hierarchy };
  const k = config.models.find((m) => m.model === 'k-anonymity');
  const l = config.models.find((m) => m.model === 'l-diversity');
  const t = config.models.find((m) => m.model === 't-closeness');
  const firstSensitive = Object.entries(columns).find(([, c]) => c.role === 'sensitive')?.[0] ?? null;
  return {
    columns,
    models: {
      k: k && k.model === 'k-anonymity' ? k.k : 5,
      lEnabled: Boolean(l),
      lVariant: l && l.model === 'l-diversity' ? l.variant : 'distinct',
      l: l && l.model === 'l-diversity' ? l.l : 2,
      c: l && l.model === 'l-diversity' && l.c !== undefined ? l.c : 3,
      lColumn: l && l.model === 'l-diversity' ? l.column : firstSensitive,
      tEnabled: Boolean(t),
      t: t && t.model === 't-closeness' ? t.t : 0.2,
      tColumn: t && t.model === 't-closeness' ? t.column : firstSensitive,
      tDistance: t && t.model === 't-closeness' && t.distance ? t.distance : 'equal',
      suppressionLimit: config.suppressionLimit,
      metric: config.metric,
      algorithm: config.algorithm ?? 'optimal',
      suppression: config.suppression ?? 'record',
      utilityTarget: config.utility?.target ?? null,
    },
  };
}

export function configFromDraft(draft: SetupDraft): PrivacyConfig {
  const columns: PrivacyConfig['columns'] = {};
  for (const [name, c] of Object.entries(draft.columns)) {
    columns[name] = {
      role: c.role,
      ...(c.transform && c.role !== 'quasi' && c.role !== 'sensitive' ? { transform: c.transform } : {}),
      ...(c.role === 'quasi' && c.hierarchy ? { hierarchy: c.hierarchy } : {}),
    };
  }
  const m = draft.models;
  const models: PrivacyModel[] = [{ model: 'k-anonymity', k: m.k }];
  if (m.lEnabled && m.lColumn) models.push({ model: 'l-diversity', variant: m.lVariant, l: m.l, ...(m.lVariant === 'recursive' ? { c: m.c } : {}), column: m.lColumn });
  if (m.tEnabled && m.tColumn) models.push({ model: 't-closeness', t: m.t, column: m.tColumn, distance: m.tDistance });
  return { columns, models, suppressionLimit: m.suppressionLimit, suppression: m.suppression, metric: m.metric, algorithm: m.algorithm, ...(m.utilityTarget ? { utility: { target: m.utilityTarget } } : {}), riskThreshold: 0.2 };
}

/** What still blocks a run, as message keys (under ui.privacy.problems). */
export function problemsOf(draft: SetupDraft): { key: string; column?: string }[] {
  const problems: { key: string; column?: string }[] = [];
  const entries = Object.entries(draft.columns);
  if (!entries.some(([, c]) => c.role === 'quasi')) problems.push({ key: 'noQuasi' });
  for (const [name, c] of entries) if (c.role === 'quasi' && !c.hierarchy) problems.push({ key: 'noHierarchy', column: name });
  const sensitive = new Set(entries.filter(([, c]) => c.role === 'sensitive').map(([n]) => n));
  if (draft.models.lEnabled && (!draft.models.lColumn || !sensitive.has(draft.models.lColumn))) problems.push({ key: 'lColumn' });
  if (draft.models.tEnabled && (!draft.models.tColumn || !sensitive.has(draft.models.tColumn))) problems.push({ key: 'tColumn' });
  return problems;
}

/** Parses an ARX hierarchy CSV (`;`-separated, one row per value, leaf first). */
export function parseArxCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.split(';').map((cell) => cell.trim()))
    .filter((row) => row.length >= 2 && row.some((cell) => cell !== ''));
}

/** Parses "10, 20, 40" into positive numbers; null when any part is not one. */
export function parseNumberList(text: string): number[] | null {
  const parts = text.split(/[,，\s]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isFinite(n) && n >= 0) ? numbers : null;
}
