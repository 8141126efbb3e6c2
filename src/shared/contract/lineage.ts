/** Lineage: the graph of files, versions, models, reports and audits around one of them. */
import { z } from 'zod';
import { procedure } from './procedure.js';
import { LineageGraphSchema } from '../model/cleaning.js';

export const lineage = {
  /** Everything connected to `id` (a dataset, version, model, report or audit id) through lineage, as nodes and edges. */
  getGraph: procedure(z.object({ id: z.string().min(1), maxNodes: z.number().int().min(1).max(2_000).default(500) }), LineageGraphSchema),
} as const;
