/** Short random identifiers: `ds_…` datasets, `ver_…` versions (table `v_…`), `job_…` jobs. */
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'ds' | 'ver' | 'job' | 'mdl' | 'rcp' | 'scn'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export function versionTableName(versionId: string): string {
  return `v_${versionId.replace(/^ver_/, '')}`;
}

export function stagingTableName(jobId: string): string {
  return `stg_${jobId.replace(/^job_/, '')}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}
