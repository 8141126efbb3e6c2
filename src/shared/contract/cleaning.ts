/** Cleaning procedures: preview and run recipes (a run publishes one new version), saved recipes, version comparison. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { CleanPreviewSchema, CleanRequestSchema, CleaningStepSchema, RecipeSchema, SavedRecipeSchema, VersionDiffSchema } from '../model/cleaning.js';

export const cleaning = {
  /** Runs the steps on the version's first `sampleRows` rows in memory and shows `showRows` of them before and after. */
  previewRecipe: procedure(
    z.object({
      versionId: z.string(),
      steps: z.array(CleaningStepSchema).max(100),
      sampleRows: z.number().int().min(1).max(20_000).default(2_000),
      showRows: z.number().int().min(0).max(500).default(50),
    }),
    CleanPreviewSchema,
  ),
  /** Starts a clean job; its result is a CleanResult (the new version, its parent, row count, per-step reports). */
  runRecipe: procedure(CleanRequestSchema, z.object({ jobId: z.string() })),
  /** Saves a recipe under a name (replacing one of the same name) for replay on other versions or datasets. */
  saveRecipe: procedure(z.object({ name: z.string().trim().min(1).max(200), recipe: RecipeSchema }), SavedRecipeSchema),
  listRecipes: procedure(z.object({}), z.array(SavedRecipeSchema)),
  deleteRecipe: procedure(z.object({ id: z.string() }), z.object({ deleted: z.boolean() })),
  /** Schema changes, row counts and changed cells between two versions (rows matched by `__row`, or by key columns). */
  compareVersions: procedure(
    z.object({ versionA: z.string(), versionB: z.string(), keyColumns: z.array(z.string()).default([]), samples: z.number().int().min(0).max(500).default(20) }),
    VersionDiffSchema,
  ),
} as const;
