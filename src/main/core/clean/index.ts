/**
 * Cleaning engine: pure operations (dedupe, filter, impute, cap outliers, text normalisation, cast, rename, drop,
 * reorder, derive) over an in-memory column-major table, and recipes of them. No SQLite: the clean worker reads a
 * version into a CleanTable and writes the result to a staging table.
 */
export { applyStep } from './operations.js';
export type { CleanTable, CleanColumn, Cell, TextConverter, StepContext } from './operations.js';
export { applyRecipe } from './recipe.js';
export type { RecipeOptions, RecipeOutcome } from './recipe.js';
export { normaliseText, fullWidthToHalfWidth } from './text.js';
export type { TextNormalisation } from './text.js';
export { quantileSorted, sortedNumbers, mean, mode } from './stats.js';
