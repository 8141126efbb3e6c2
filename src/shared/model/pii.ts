/** PII detection: the kinds detected, per-column findings (masked examples only) and the dataset's suggested sensitivity. */
import { z } from 'zod';
import { ColumnRoleSchema } from './privacy.js';

export const PII_KINDS = [
  'cnResidentId',
  'cnMobile',
  'cnLandline',
  'phone',
  'email',
  'bankCard',
  'ipv4',
  'ipv6',
  'url',
  'passport',
  'cnLicensePlate',
  'uscc',
  'dateOfBirth',
  'postalCode',
  'personName',
  'address',
] as const;
export const PiiKindSchema = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKindSchema>;

export const SensitivityClassSchema = z.enum(['public', 'internal', 'confidential', 'restricted']);
export type SensitivityClass = z.infer<typeof SensitivityClassSchema>;

export const PiiSpanSchema = z.object({ kind: PiiKindSchema, start: z.number().int(), end: z.number().int() });
export type PiiSpan = z.infer<typeof PiiSpanSchema>;

export const PiiColumnFindingSchema = z.object({
  name: z.string(),
  /** The PII kind of the column's values, or of the spans inside a free-text column; null when none. */
  kind: PiiKindSchema.nullable(),
  /** 0..1: how sure the detector is of `kind` (0 when kind is null). */
  confidence: z.number().min(0).max(1),
  /** Share of the sampled non-missing values that matched `kind` (values holding a span, for free text). */
  matchedShare: z.number().min(0).max(1),
  /** Whether the column holds free text, with PII as spans inside it. */
  freeText: z.boolean(),
  /** Span counts by kind in a free-text column's sample. */
  spanCounts: z.record(z.string(), z.number().int()),
  /** Up to five sampled values, masked (`138****5678`, `张*`, `a***@x.com`); never raw. */
  maskedExamples: z.array(z.string()),
  /** The proposed privacy role, and why (an i18n key under ui.privacy.reasons with its params). */
  role: ColumnRoleSchema,
  reason: z.object({ key: z.string(), params: z.record(z.string(), z.string()) }),
  sampled: z.number().int().nonnegative(),
});
export type PiiColumnFinding = z.infer<typeof PiiColumnFindingSchema>;

export const PiiFindingsSchema = z.object({
  versionId: z.string(),
  datasetId: z.string(),
  createdAt: z.string(),
  /** Rows read per column (a spread sample of the version). */
  sampleSize: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative(),
  suggestedSensitivity: SensitivityClassSchema,
  columns: z.array(PiiColumnFindingSchema),
});
export type PiiFindings = z.infer<typeof PiiFindingsSchema>;
