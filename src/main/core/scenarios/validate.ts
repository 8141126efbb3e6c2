/** Mapping a user's columns to a scenario's roles: the default guess, and the checks (types, values) with clear problems. */
import { timeOf } from './retail.js';
import { guessMapping, type MappingProblem, type Role, type ScenarioTemplate, type TableMapping } from '../../../shared/model/scenarios.js';

export { guessMapping };

export interface TableFacts {
  columns: { name: string; type: string }[];
  /** Column values (all rows) of the mapped columns. */
  values: Record<string, unknown[]>;
}

const NUMERIC = new Set(['integer', 'real']);
const missing = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && Number.isNaN(v));

/** The columns a mapping names for a role (one or several). */
export function mappedColumns(mapping: TableMapping | undefined, role: string): string[] {
  const value = mapping?.columns[role];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((c) => c !== '');
}

function problem(table: string, role: string, column: string | null, code: string, message: string, params: MappingProblem['params'] = {}): MappingProblem {
  return { table, role, column, code, message, params };
}

function checkRole(tableKey: string, role: Role, columns: string[], facts: TableFacts): MappingProblem[] {
  const out: MappingProblem[] = [];
  if (columns.length === 0) {
    if (role.required) out.push(problem(tableKey, role.key, null, 'roleMissing', `Choose a column for “${role.key}”`));
    return out;
  }
  if (!role.multiple && columns.length > 1) out.push(problem(tableKey, role.key, null, 'oneColumnOnly', `“${role.key}” takes one column`));
  for (const name of columns) {
    const column = facts.columns.find((c) => c.name === name);
    if (!column) {
      out.push(problem(tableKey, role.key, name, 'noSuchColumn', `The version has no column “${name}”`, { column: name }));
      continue;
    }
    const values = facts.values[name] ?? [];
    const missingCount = values.filter(missing).length;
    if (role.kind === 'number' && !NUMERIC.has(column.type)) {
      out.push(problem(tableKey, role.key, name, 'notNumeric', `“${name}” is ${column.type}, “${role.key}” needs numbers`, { column: name, type: column.type }));
      continue;
    }
    if (role.kind === 'binary') {
      const distinct = new Set(values.filter((v) => !missing(v)).map(String));
      if (distinct.size !== 2) out.push(problem(tableKey, role.key, name, 'notBinary', `“${name}” has ${distinct.size} distinct values, “${role.key}” needs exactly two`, { column: name, count: distinct.size }));
    }
    // Features of a model may have gaps (its pipeline imputes them); ids, labels and amounts may not.
    if (missingCount > 0 && !role.multiple) out.push(problem(tableKey, role.key, name, 'missingValues', `“${name}” has ${missingCount} missing values`, { column: name, count: missingCount }));
    if (role.nonNegative && role.kind === 'number') {
      const negative = values.filter((v) => typeof v === 'number' && v < 0).length;
      if (negative > 0) out.push(problem(tableKey, role.key, name, 'negativeValues', `“${name}” has ${negative} negative values`, { column: name, count: negative }));
    }
  }
  return out;
}

/** Every problem of a mapping: roles unfilled, wrong types, values a scenario cannot use, and its own cross-table rules. */
export function validateMapping(template: ScenarioTemplate, mapping: Record<string, TableMapping>, facts: Record<string, TableFacts | undefined>): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const table of template.tables) {
    const tableFacts = facts[table.key];
    if (!mapping[table.key] || !tableFacts) {
      problems.push(problem(table.key, '', null, 'tableMissing', `Choose a dataset version for “${table.key}”`));
      continue;
    }
    for (const role of table.roles) problems.push(...checkRole(table.key, role, mappedColumns(mapping[table.key], role.key), tableFacts));
  }
  if (problems.length === 0 && template.id === 'production-planning') problems.push(...planRules(mapping, facts));
  if (problems.length === 0 && template.id === 'supply-chain') problems.push(...supplyRules(mapping, facts));
  if (problems.length === 0 && template.id === 'retail-recommendation') problems.push(...retailRules(mapping, facts));
  if (problems.length === 0 && template.id === 'customer-service') problems.push(...serviceRules(mapping, facts));
  return problems;
}

/** Production planning: unique ids, min ≤ max demand, usage rows naming known products and resources. */
function planRules(mapping: Record<string, TableMapping>, facts: Record<string, TableFacts | undefined>): MappingProblem[] {
  const out: MappingProblem[] = [];
  const col = (table: string, role: string) => {
    const name = mappedColumns(mapping[table], role)[0];
    return name === undefined ? null : (facts[table]?.values[name] ?? null);
  };
  const ids = (table: string, role: string) => (col(table, role) ?? []).map(String);
  for (const [table, role] of [['products', 'product'], ['resources', 'resource']] as const) {
    const seen = new Set<string>();
    for (const id of ids(table, role)) {
      if (seen.has(id)) {
        out.push(problem(table, role, mappedColumns(mapping[table], role)[0] ?? null, 'duplicateId', `“${id}” appears more than once`, { id }));
        break;
      }
      seen.add(id);
    }
  }
  const min = col('products', 'minDemand');
  const max = col('products', 'maxDemand');
  if (min && max) {
    const bad = min.findIndex((v, r) => typeof v === 'number' && typeof max[r] === 'number' && v > (max[r] as number));
    if (bad >= 0) out.push(problem('products', 'minDemand', null, 'minAboveMax', `Row ${bad + 1}: the minimum demand is above the maximum`, { row: bad + 1 }));
  }
  const products = new Set(ids('products', 'product'));
  const resources = new Set(ids('resources', 'resource'));
  const unknownProduct = ids('usage', 'product').find((p) => !products.has(p));
  if (unknownProduct !== undefined) out.push(problem('usage', 'product', null, 'unknownId', `Usage names a product “${unknownProduct}” that the products table lacks`, { id: unknownProduct }));
  const unknownResource = ids('usage', 'resource').find((r) => !resources.has(r));
  if (unknownResource !== undefined) out.push(problem('usage', 'resource', null, 'unknownId', `Usage names a resource “${unknownResource}” that the resources table lacks`, { id: unknownResource }));
  return out;
}

/** Supply chain: one row per finished product, and every product of the bill of materials listed there. */
function supplyRules(mapping: Record<string, TableMapping>, facts: Record<string, TableFacts | undefined>): MappingProblem[] {
  const out: MappingProblem[] = [];
  const ids = (table: string, role: string) => {
    const name = mappedColumns(mapping[table], role)[0];
    return name === undefined ? [] : (facts[table]?.values[name] ?? []).map(String);
  };
  const products = ids('products', 'product');
  const duplicate = products.find((p, i) => products.indexOf(p) !== i);
  if (duplicate !== undefined) out.push(problem('products', 'product', null, 'duplicateId', `“${duplicate}” appears more than once`, { id: duplicate }));
  const known = new Set(products);
  const unknown = ids('bom', 'product').find((p) => !known.has(p));
  if (unknown !== undefined) out.push(problem('bom', 'product', null, 'unknownId', `The bill of materials names a product “${unknown}” that the products table lacks`, { id: unknown }));
  return out;
}

/** Retail: one row per catalogue item, interactions naming known items, timestamps that parse (the hold-out is by time). */
function retailRules(mapping: Record<string, TableMapping>, facts: Record<string, TableFacts | undefined>): MappingProblem[] {
  const out: MappingProblem[] = [];
  const values = (table: string, role: string) => {
    const name = mappedColumns(mapping[table], role)[0];
    return name === undefined ? [] : (facts[table]?.values[name] ?? []);
  };
  const items = values('items', 'item').map(String);
  const duplicate = items.find((p, i) => items.indexOf(p) !== i);
  if (duplicate !== undefined) out.push(problem('items', 'item', null, 'duplicateId', `“${duplicate}” appears more than once`, { id: duplicate }));
  const known = new Set(items);
  const unknown = values('interactions', 'item').map(String).find((p) => !known.has(p));
  if (unknown !== undefined) out.push(problem('interactions', 'item', null, 'unknownId', `Interactions name an item “${unknown}” that the items table lacks`, { id: unknown }));
  const times = values('interactions', 'time');
  const bad = times.findIndex((v) => !Number.isFinite(timeOf(v)));
  const column = mappedColumns(mapping.interactions, 'time')[0] ?? '';
  if (bad >= 0) out.push(problem('interactions', 'time', column, 'notTime', `Row ${bad + 1}: “${String(times[bad])}” is not a date or time`, { row: bad + 1, value: String(times[bad]) }));
  return out;
}

/** Customer service: intents and sentiments a classifier can learn (at least two values each). */
function serviceRules(mapping: Record<string, TableMapping>, facts: Record<string, TableFacts | undefined>): MappingProblem[] {
  const out: MappingProblem[] = [];
  for (const role of ['intent', 'sentiment']) {
    const name = mappedColumns(mapping.messages, role)[0];
    const distinct = new Set((name === undefined ? [] : (facts.messages?.values[name] ?? [])).map(String)).size;
    if (distinct < 2) out.push(problem('messages', role, name ?? null, 'tooFewClasses', `“${name ?? role}” has ${distinct} distinct values; a classifier needs at least two`, { column: name ?? role, count: distinct }));
  }
  const time = mappedColumns(mapping.messages, 'time')[0];
  if (time !== undefined) {
    const times = facts.messages?.values[time] ?? [];
    const bad = times.findIndex((v) => !Number.isFinite(timeOf(v)));
    if (bad >= 0) out.push(problem('messages', 'time', time, 'notTime', `Row ${bad + 1}: “${String(times[bad])}” is not a date or time`, { row: bad + 1, value: String(times[bad]) }));
  }
  return out;
}
