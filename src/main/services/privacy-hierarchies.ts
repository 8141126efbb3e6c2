/** Turns a column's hierarchy spec (file, inline rows, interval, date, prefix) into a Hierarchy for its values. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { XinzhiError } from '../../shared/model/errors.js';
import type { HierarchySpec } from '../../shared/model/privacy.js';
import { dateHierarchy, intervalHierarchy, parseHierarchyCsv, prefixHierarchy, validateHierarchy, type Hierarchy } from '../core/privacy/index.js';

/** `values` are the column's values as hierarchy leaves ('' for missing). */
export function resolveHierarchy(spec: HierarchySpec | undefined, column: string, values: readonly string[], baseDir: string | undefined): Hierarchy {
  if (!spec) {
    throw new XinzhiError('E_INVALID_INPUT', `Quasi-identifier ${column} has no hierarchy`, { path: `columns.${column}.hierarchy`, issue: `the quasi-identifier “${column}” needs a hierarchy` });
  }
  if ('file' in spec) {
    const path = isAbsolute(spec.file) || !baseDir ? spec.file : join(baseDir, spec.file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new XinzhiError('E_FILE_NOT_FOUND', `Hierarchy file not found: ${path}`, { file: path });
    }
    return parseHierarchyCsv(text);
  }
  if ('rows' in spec) return validateHierarchy(spec.rows);
  const present = [...new Set(values.filter((v) => v !== ''))];
  const built = 'interval' in spec ? intervalHierarchy(present.map(Number), spec.interval.widths) : 'date' in spec ? dateHierarchy(present) : prefixHierarchy(present, spec.prefix.keep);
  // Missing values get their own leaf, generalised to * at every level above it.
  if (!values.includes('')) return built;
  return validateHierarchy([...built.rows, ['', ...Array.from({ length: built.levels - 1 }, () => '*')]]);
}
