/** Small, dependency-free machine-learning models over in-memory feature matrices (quick utility estimates, baselines). */
export { trainLogistic, predictProba, accuracy, logisticGradient, featurize, seededRandom, seededPermutation, MAX_LEVELS } from './logistic.js';
export type { LogisticOptions, LogisticModel, FeatureTable, Features, CellValue } from './logistic.js';
