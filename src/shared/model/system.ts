/** Facts about the running host, and the doctor's findings. */
import { z } from 'zod';

export const HostKindSchema = z.enum(['electron', 'browser', 'cli']);
export type HostKind = z.infer<typeof HostKindSchema>;

export const SystemInfoSchema = z.object({
  appVersion: z.string(),
  host: HostKindSchema,
  workspace: z.string(),
  nodeVersion: z.string(),
  platform: z.string(),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

export const DoctorCheckSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  /** Message key under `doctor.` and its parameters: what was found (version, path) or why not. */
  reason: z.string(),
  params: z.record(z.string(), z.string()),
  /** The same in English, for logs and scripts. */
  detail: z.string(),
});
export const DoctorReportSchema = z.object({ checks: z.array(DoctorCheckSchema) });
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
