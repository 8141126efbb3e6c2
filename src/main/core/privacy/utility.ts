/**
 * Utility for machine learning: the same quick model (logistic regression) trained and tested on the original and the
 * anonymised table with the same seeded train/test split of rows, so the accuracy change can be shown next to the
 * risk change. Generalised labels (`20-29`, `*`, a hierarchy node) are categorical values of the anonymised table.
 */
import { XinzhiError } from '../../../shared/model/errors.js';
import { accuracy, featurize, seededPermutation, trainLogistic } from '../ml/logistic.js';
import type { FeatureTable, LogisticOptions } from '../ml/logistic.js';

export interface MlUtilityOptions {
  /** Seed of the row split (and of the model's shuffling unless `logistic.seed` is set). Default 1. */
  seed?: number;
  /** Share of rows used for training, the rest for testing. Default 0.7. */
  trainFraction?: number;
  logistic?: LogisticOptions;
}

export interface MlUtility {
  /** Test accuracy of the model trained on the original table. */
  accuracyOriginal: number;
  /** Test accuracy of the model trained on the anonymised table (same rows in train and test). */
  accuracyAnonymised: number;
  /** accuracyAnonymised − accuracyOriginal (negative: utility lost). */
  delta: number;
  rows: number;
  trainRows: number;
  testRows: number;
  /** Feature columns after encoding, per table. */
  features: { original: number; anonymised: number };
}

function take(X: Float64Array, cols: number, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * cols);
  for (let i = 0; i < idx.length; i++) out.set(X.subarray((idx[i] as number) * cols, ((idx[i] as number) + 1) * cols), i * cols);
  return out;
}

function testAccuracy(table: FeatureTable, target: string, train: Int32Array, test: Int32Array, options: LogisticOptions): { accuracy: number; features: number } {
  const f = featurize(table, target);
  const cols = f.featureNames.length;
  const model = trainLogistic(take(f.X, cols, train), Uint8Array.from(train, (r) => f.y[r] as number), train.length, cols, options);
  return { accuracy: accuracy(model, take(f.X, cols, test), Uint8Array.from(test, (r) => f.y[r] as number), test.length), features: cols };
}

/** Trains the logistic model on each table (same seeded 70/30 row split) and compares their test accuracies. */
export function mlUtility(original: FeatureTable, anonymised: FeatureTable, target: string, options: MlUtilityOptions = {}): MlUtility {
  const rows = original.columns[0]?.values.length ?? 0;
  const anonRows = anonymised.columns[0]?.values.length ?? 0;
  if (rows !== anonRows) throw new XinzhiError('E_INVALID_INPUT', `The anonymised table has ${anonRows} rows, the original ${rows}: utility needs the same rows`);
  const fraction = options.trainFraction ?? 0.7;
  if (!(fraction > 0 && fraction < 1)) throw new XinzhiError('E_INVALID_INPUT', 'trainFraction must be between 0 and 1');
  const seed = options.seed ?? 1;
  const perm = seededPermutation(rows, seed);
  const cut = Math.round(rows * fraction);
  if (cut === 0 || cut === rows) throw new XinzhiError('E_INVALID_INPUT', `Too few rows (${rows}) for a train/test split`);
  const train = perm.slice(0, cut);
  const test = perm.slice(cut);
  const logistic = { seed, ...options.logistic };
  const a = testAccuracy(original, target, train, test, logistic);
  const b = testAccuracy(anonymised, target, train, test, logistic);
  return {
    accuracyOriginal: a.accuracy,
    accuracyAnonymised: b.accuracy,
    delta: b.accuracy - a.accuracy,
    rows,
    trainRows: train.length,
    testRows: test.length,
    features: { original: a.features, anonymised: b.features },
  };
}
