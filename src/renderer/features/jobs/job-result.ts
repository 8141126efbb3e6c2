/** Reading what a finished job produced. */
import type { Job } from '../../../shared/model/jobs.js';
import { ImportResultSchema, type ImportResult } from '../../../shared/model/catalog.js';
import { AnonymiseResultSchema, type AnonymiseResult } from '../../../shared/model/privacy.js';

export function importResultOf(job: Job): ImportResult | null {
  if (job.kind !== 'import' || job.state !== 'succeeded') return null;
  const parsed = ImportResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

export function anonymiseResultOf(job: Job): AnonymiseResult | null {
  if (job.kind !== 'anonymise' || job.state !== 'succeeded') return null;
  const parsed = AnonymiseResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}
