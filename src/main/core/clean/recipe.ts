/** Runs a recipe's steps in order over an in-memory table, with progress and cancel between steps. */
import type { CleaningStep, StepReport } from '../../../shared/model/cleaning.js';
import { XinzhiError } from '../../../shared/model/errors.js';
import { applyStep, type CleanTable, type TextConverter } from './operations.js';

export interface RecipeOptions {
  convert: TextConverter;
  onProgress?: (fraction: number, message: string) => void;
  signal?: AbortSignal;
}

export interface RecipeOutcome {
  table: CleanTable;
  reports: StepReport[];
}

export function applyRecipe(input: CleanTable, steps: readonly CleaningStep[], options: RecipeOptions): RecipeOutcome {
  let table = input;
  const reports: StepReport[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (options.signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
    options.onProgress?.(i / steps.length, `${i + 1}/${steps.length} ${steps[i]!.op}`);
    const done = applyStep(table, steps[i]!, { index: i, convert: options.convert });
    table = done.table;
    reports.push(done.report);
  }
  options.onProgress?.(1, `${table.rowCount} rows`);
  return { table, reports };
}
