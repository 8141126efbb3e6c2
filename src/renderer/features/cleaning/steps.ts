/** Recipe steps as the builder edits them: defaults per operation, and the columns each step can see. */
import type { Column, ColumnType } from '../../../shared/model/catalog.js';
import { CLEANING_OPS, type CleaningOp, type CleaningStepInput } from '../../../shared/model/cleaning.js';

export { CLEANING_OPS };
export type { CleaningOp };

/** A step being edited, with a stable key for React lists. */
export interface DraftStep {
  key: number;
  step: CleaningStepInput;
}

let nextKey = 1;
export const draft = (step: CleaningStepInput): DraftStep => ({ key: nextKey++, step });

export function defaultStep(op: CleaningOp, columns: readonly Column[]): CleaningStepInput {
  const numeric = columns.filter((c) => c.type === 'integer' || c.type === 'real').map((c) => c.name);
  const first = columns[0]?.name ?? '';
  switch (op) {
    case 'dropDuplicates':
      return { op, columns: [] };
    case 'filter':
      return { op, expression: '' };
    case 'impute':
      return { op, columns: [], strategy: 'mode' };
    case 'capOutliers':
      return { op, columns: numeric.slice(0, 1), method: 'iqr', factor: 1.5, lower: 0.01, upper: 0.99 };
    case 'normaliseText':
      return { op, columns: [], nfkc: true, fullWidth: true, trim: true, collapseWhitespace: true, case: 'keep', emptyToNull: true };
    case 'cast':
      return { op, column: first, to: 'text', onError: 'null' };
    case 'rename':
      return { op, mapping: {} };
    case 'dropColumns':
      return { op, columns: [] };
    case 'reorderColumns':
      return { op, columns: [] };
    case 'derive':
      return { op, name: '', expression: '' };
  }
}

/**
 * The columns a step sees: the version's, changed by the steps before it (renames, drops, reorders, derives, casts).
 * Derived columns' types are only known after a preview; they show as text until then.
 */
export function columnsBefore(columns: readonly Column[], steps: readonly CleaningStepInput[], index: number): { name: string; type: ColumnType }[] {
  let cols = columns.map((c) => ({ name: c.name, type: c.type }));
  for (const s of steps.slice(0, index)) {
    if (s.op === 'rename') cols = cols.map((c) => ({ ...c, name: s.mapping[c.name] ?? c.name }));
    else if (s.op === 'dropColumns') cols = cols.filter((c) => !s.columns.includes(c.name));
    else if (s.op === 'reorderColumns') cols = [...s.columns.map((n) => cols.find((c) => c.name === n)!).filter(Boolean), ...cols.filter((c) => !s.columns.includes(c.name))];
    else if (s.op === 'cast') cols = cols.map((c) => (c.name === s.column ? { ...c, type: s.to } : c));
    else if (s.op === 'derive' && s.name && !cols.some((c) => c.name === s.name)) cols = [...cols, { name: s.name, type: s.type ?? 'text' }];
  }
  return cols;
}

/** Steps ready to send: incomplete ones (no expression, no column chosen yet) are left out of previews. */
export function isComplete(step: CleaningStepInput): boolean {
  switch (step.op) {
    case 'filter':
      return step.expression.trim() !== '';
    case 'derive':
      return step.name.trim() !== '' && step.expression.trim() !== '';
    case 'impute':
    case 'capOutliers':
    case 'dropColumns':
    case 'reorderColumns':
      return (step.columns?.length ?? 0) > 0 && (step.op !== 'impute' || step.strategy !== 'constant' || (step.value !== undefined && step.value !== ''));
    case 'rename':
      return Object.entries(step.mapping).some(([from, to]) => from && to.trim());
    case 'cast':
      return step.column !== '';
    default:
      return true;
  }
}
