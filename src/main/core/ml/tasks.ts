/**
 * What a model family does with a target (its task), and which families suit a version: the rules behind
 * training.suggestFamilies, the AutoML candidates and the train worker's checks, kept in one place.
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import type { FamilySuggestion, ModelFamily, ModelTask } from '../../../shared/model/training.js';
import { MAX_CLASSES } from './pipeline.js';

const NUMERIC = new Set(['integer', 'real', 'boolean']);
/** A numeric target with more distinct values than this is a regression target. */
export const REGRESSION_DISTINCT = 20;

export interface TargetFacts {
  type: string;
  distinct: number;
}

export interface ColumnFacts {
  name: string;
  type: string;
  /** Mean length of the text values (text columns). */
  meanLength?: number;
}

export const UNSUPERVISED: readonly ModelFamily[] = ['kmeans', 'dbscan', 'anomaly'];
export const RECOMMENDERS: readonly ModelFamily[] = ['mf', 'embedding'];

/** The target's task when a family may predict it either way (mlp): classes or a number. */
export function targetTask(t: TargetFacts): 'binary' | 'multiclass' | 'regression' {
  if (t.distinct === 2) return 'binary';
  if (NUMERIC.has(t.type) && t.distinct > REGRESSION_DISTINCT) return 'regression';
  if (t.distinct < 2) throw new XinzhiError('E_INVALID_INPUT', 'The target has only one value: nothing to predict');
  if (t.distinct > MAX_CLASSES) throw new XinzhiError('E_INVALID_INPUT', `The target has ${t.distinct} distinct values: too many classes (at most ${MAX_CLASSES}); a numeric target can be predicted by regression`);
  return 'multiclass';
}

/** The task `family` performs on this target (null: no target), or E_INVALID_INPUT saying why it cannot. */
export function familyTask(family: ModelFamily, target: TargetFacts | null): ModelTask {
  if (family === 'kmeans' || family === 'dbscan') return 'clustering';
  if (family === 'anomaly') return 'anomaly';
  if (!target) throw new XinzhiError('E_INVALID_INPUT', `The ${family} family needs a target column`, { path: 'target' });
  if (family === 'mf' || family === 'embedding') {
    if (!NUMERIC.has(target.type)) throw new XinzhiError('E_INVALID_INPUT', 'A recommender needs a numeric rating column as the target', { path: 'target' });
    return 'recommendation';
  }
  if (family === 'linear') {
    if (!NUMERIC.has(target.type)) throw new XinzhiError('E_INVALID_INPUT', 'Linear regression needs a numeric target', { path: 'target' });
    return 'regression';
  }
  const task = targetTask(target);
  if (family === 'mlp') return task;
  if (task === 'regression') {
    // logistic, text, cnn classify: a many-valued numeric target is still classes if it has few enough of them.
    if (target.distinct > MAX_CLASSES) throw new XinzhiError('E_INVALID_INPUT', `The ${family} family classifies: the target has ${target.distinct} values, choose linear or mlp`, { path: 'target' });
    return 'multiclass';
  }
  return task;
}

const ID_LIKE = /(^|[^a-z])(user|customer|client|member|uid|用户|客户)([^a-z]|$)/i;
const ITEM_LIKE = /(^|[^a-z])(item|product|movie|sku|article|goods|商品|物品|产品)([^a-z]|$)/i;
const SENSOR_LIKE = /(temp|temperature|pressure|speed|rpm|torque|vibration|wear|voltage|current|温度|压力|转速|扭矩|振动|磨损)/i;
const PIXEL_LIKE = /^(p|px|pixel)_?\d+$/i;

/**
 * The families that suit a version's columns and target, recommended ones first, each with a reason key
 * (ui.training.reasons.*) and its params.
 */
export function suggestFamilies(columns: readonly ColumnFacts[], target: string, targetFacts: TargetFacts | null): { task: ModelTask | null; suggestions: FamilySuggestion[] } {
  const out: FamilySuggestion[] = [];
  const features = columns.filter((c) => c.name !== target);
  const numeric = features.filter((c) => NUMERIC.has(c.type));
  const text = features.filter((c) => c.type === 'text' && (c.meanLength ?? 0) >= 15);
  const pixels = numeric.filter((c) => PIXEL_LIKE.test(c.name));
  const side = Math.round(Math.sqrt(pixels.length));
  const user = features.find((c) => ID_LIKE.test(c.name));
  const item = features.find((c) => ITEM_LIKE.test(c.name));
  const sensors = numeric.filter((c) => SENSOR_LIKE.test(c.name));
  const add = (family: ModelFamily, task: ModelTask, reason: string, params: Record<string, string | number>, recommended: boolean) => {
    if (!out.some((s) => s.family === family)) out.push({ family, task, reason, params, recommended });
  };

  if (!targetFacts) {
    if (sensors.length >= 2) add('anomaly', 'anomaly', 'sensorColumns', { n: sensors.length }, true);
    add('kmeans', 'clustering', 'noTarget', {}, sensors.length < 2);
    add('dbscan', 'clustering', 'noTarget', {}, false);
    add('anomaly', 'anomaly', 'noTarget', {}, false);
    return { task: null, suggestions: out };
  }
  let task: ModelTask;
  try {
    task = targetTask(targetFacts);
  } catch {
    return { task: null, suggestions: [] };
  }
  if (user && item && NUMERIC.has(targetFacts.type)) {
    add('mf', 'recommendation', 'userItemColumns', { user: user.name, item: item.name }, true);
    add('embedding', 'recommendation', 'userItemColumns', { user: user.name, item: item.name }, false);
  }
  if (task !== 'regression') {
    if (pixels.length >= 16 && side * side === pixels.length) add('cnn', task, 'imagePixels', { side }, true);
    if (text.length > 0) add('text', task, 'textColumn', { column: (text[0] as ColumnFacts).name }, true);
    const reason = task === 'binary' ? 'binaryTarget' : 'multiclassTarget';
    add('logistic', task, reason, { classes: targetFacts.distinct }, out.length === 0);
    add('mlp', task, reason, { classes: targetFacts.distinct }, out.length <= 1);
  } else {
    add('linear', 'regression', 'numericTarget', { distinct: targetFacts.distinct }, true);
    add('mlp', 'regression', 'numericTarget', { distinct: targetFacts.distinct }, true);
  }
  if (sensors.length >= 2 && task === 'binary') add('anomaly', 'anomaly', 'sensorColumns', { n: sensors.length }, false);
  return { task, suggestions: out };
}

/** The families AutoML tries for a task (quick, with defaults), given what the columns hold. */
export function autoCandidates(task: ModelTask, hasText: boolean): ModelFamily[] {
  if (task === 'binary' || task === 'multiclass') return hasText ? ['text', 'logistic', 'mlp'] : ['logistic', 'mlp'];
  if (task === 'regression') return ['linear', 'mlp'];
  if (task === 'recommendation') return ['mf', 'embedding'];
  if (task === 'clustering') return ['kmeans', 'dbscan'];
  return ['anomaly'];
}
