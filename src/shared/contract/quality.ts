/** Quality procedures: profiles (as jobs) with their 0–100 score and alerts, and quality rules with their run history. */
import { z } from 'zod';
import { event, procedure } from './procedure.js';
import { ProfileReportSchema, RuleRunSchema, RuleSchema, RuleSpecSchema } from '../model/quality.js';

export const quality = {
  /** Profiles a version in a worker (and checks its dataset's rules on it); the job's result is a summary. */
  profileVersion: procedure(z.object({ versionId: z.string() }), z.object({ jobId: z.string() })),
  /** The stored profile of a version with its score, or null when it has not been profiled yet. */
  getProfile: procedure(z.object({ versionId: z.string() }), ProfileReportSchema.nullable()),
  listRules: procedure(z.object({ datasetId: z.string() }), z.array(RuleSchema)),
  addRule: procedure(z.object({ datasetId: z.string(), spec: RuleSpecSchema }), RuleSchema),
  deleteRule: procedure(z.object({ ruleId: z.string() }), z.object({ deleted: z.boolean() })),
  /** Checks the dataset's rules on a version, in a worker; the job's result is the RuleRun. */
  runRules: procedure(z.object({ versionId: z.string() }), z.object({ jobId: z.string() })),
  /** Rule runs, newest first: of one version, or of every version of a dataset. */
  getRuleHistory: procedure(
    z.object({ datasetId: z.string().optional(), versionId: z.string().optional(), limit: z.number().int().positive().max(500).default(50) }),
    z.array(RuleRunSchema),
  ),
  /** A profile or a rule run of this version was stored. */
  onDidUpdate: event(z.object({ datasetId: z.string(), versionId: z.string() })),
} as const;
