/** Scenario procedures: templates, the pipeline as one job (sample or own data), stored runs and their what-if recomputation. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { MappingProblemSchema, MappingSchema, ScenarioIdSchema, ScenarioRunSchema, ScenarioRunSummarySchema, ScenarioTemplateSchema, WhatIfSchema } from '../model/scenarios.js';

export const scenarios = {
  listTemplates: procedure(z.object({}), z.array(ScenarioTemplateSchema)),
  /** Runs the scenario's pipeline on its sample data as one job (result: {runId}). */
  runSample: procedure(z.object({ scenarioId: ScenarioIdSchema }), z.object({ jobId: z.string() })),
  /** Checks a mapping of the user's versions to the scenario's roles; nothing is written. */
  validateMapping: procedure(z.object({ scenarioId: ScenarioIdSchema, mapping: MappingSchema }), z.object({ ok: z.boolean(), problems: z.array(MappingProblemSchema) })),
  /** Runs the pipeline on the user's mapped versions (a mapping with problems is refused with E_INVALID_INPUT). */
  runOwn: procedure(z.object({ scenarioId: ScenarioIdSchema, mapping: MappingSchema }), z.object({ jobId: z.string() })),
  listRuns: procedure(z.object({ scenarioId: ScenarioIdSchema.optional() }), z.array(ScenarioRunSummarySchema)),
  /** A stored run: every KPI, chart's data, table and what-if setting (what a PDF snapshot is made from). */
  getRun: procedure(z.object({ runId: z.string() }), ScenarioRunSchema),
  /** Recomputes the dashboard at new what-if settings (re-solves a plan; re-cuts scores) and stores them. Fast: no job. */
  updateWhatIf: procedure(z.object({ runId: z.string(), whatIf: WhatIfSchema }), ScenarioRunSchema),
  deleteRun: procedure(z.object({ runId: z.string() }), z.object({ deleted: z.boolean() })),
} as const;
