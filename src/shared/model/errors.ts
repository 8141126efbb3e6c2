/** Error codes and the error value that travels over every transport as data. */
import { z } from 'zod';

export const ErrorCodeSchema = z.enum([
  'E_INVALID_INPUT',
  'E_UNKNOWN_PROCEDURE',
  'E_UNAUTHORIZED',
  'E_NOT_FOUND',
  'E_FILE_NOT_FOUND',
  'E_FILE_EMPTY',
  'E_FILE_BINARY',
  'E_ENCODING',
  'E_CSV_UNCLOSED_QUOTE',
  'E_CSV_RAGGED_ROW',
  'E_CSV_NUL_BYTE',
  'E_FIELD_TOO_LARGE',
  'E_TYPE_MISMATCH',
  'E_UNSUPPORTED_FORMAT',
  'E_CANCELLED',
  'E_INTERRUPTED',
  'E_WORKER_CRASHED',
  'E_CONFLICT',
  'E_INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  /** English text; hosts show the localised text from i18n `errors.<code>` with `params`. */
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  details: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export class XinzhiError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number | null> | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, params?: Record<string, string | number | null>, details?: unknown) {
    super(message);
    this.name = 'XinzhiError';
    this.code = code;
    this.params = params;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.params) info.params = this.params;
    if (this.details !== undefined) info.details = this.details;
    return info;
  }

  static fromInfo(info: ErrorInfo): XinzhiError {
    return new XinzhiError(info.code, info.message, info.params, info.details);
  }
}

/** Turns anything thrown into an ErrorInfo; unknown errors become E_INTERNAL without a stack trace. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof XinzhiError) return err.toInfo();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const parsed = ErrorInfoSchema.safeParse({
      code: (err as { code: unknown }).code,
      message: (err as { message: unknown }).message,
      params: (err as { params?: unknown }).params,
    });
    if (parsed.success) return parsed.data;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'E_INTERNAL', message };
}
