/** Small, dependency-free machine-learning models over in-memory feature matrices (quick utility estimates, baselines). */
export { trainLogistic, predictProba, accuracy, logisticGradient, featurize, seededRandom, seededPermutation, MAX_LEVELS } from './logistic.js';
export type { LogisticOptions, LogisticModel, FeatureTable, Features, CellValue } from './logistic.js';
export {
  accuracy as accuracyScore,
  averagePrecision,
  balancedAccuracy,
  classificationReport,
  confusionMatrix,
  formatClassificationReport,
  formatFixed,
  inertia,
  logLoss,
  mae,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  ndcgAtK,
  precisionAtK,
  precisionRecallF1,
  r2Score,
  recallAtK,
  rmse,
  rocAuc,
  rootMeanSquaredError,
  silhouetteScore,
  uniqueLabels,
} from './metrics.js';
export type { Average, ClassificationReport, ConfusionMatrix, ItemId, Label, LabelArray, NumberArray, PrfOptions, PrfPerClass, PrfScores, ReportRow, ZeroDivision } from './metrics.js';
