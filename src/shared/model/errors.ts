/** Error codes and the error value that travels over every transport as data. */
/**
 * Kept free of zod so worker threads that only throw and pass errors do not load it (measured: ~60 ms per
 * thread at start-up); the schemas are in error-schemas.ts.
 */
export const ERROR_CODES = [
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
  'E_PRIVACY_UNSATISFIABLE',
  'E_KEY_PROTECTED',
  'E_EXPR_SYNTAX',
  'E_EXPR_END',
  'E_EXPR_UNKNOWN_COLUMN',
  'E_EXPR_UNKNOWN_FUNCTION',
  'E_EXPR_ARGUMENTS',
  'E_INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export interface ErrorInfo {
  code: ErrorCode;
  /** English text; hosts show the localised text from i18n `errors.<code>` with `params`. */
  message: string;
  params?: Record<string, string | number | null> | undefined;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * The placeholder each generic error's text needs, filled from the English message when a thrower gave none,
 * so a localised text never shows a bare `{{issue}}`.
 */
const MESSAGE_PLACEHOLDER: Partial<Record<ErrorCode, string>> = {
  E_INVALID_INPUT: 'issue',
  E_CONFLICT: 'reason',
  E_WORKER_CRASHED: 'reason',
  E_INTERNAL: 'message',
};

function withFallbackParams(code: ErrorCode, message: string, params: Record<string, string | number | null> | undefined) {
  const placeholder = MESSAGE_PLACEHOLDER[code];
  if (!placeholder || (params && placeholder in params)) return params;
  return { ...(code === 'E_INVALID_INPUT' ? { path: 'input' } : {}), ...params, [placeholder]: message };
}

export class XinzhiError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number | null> | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, params?: Record<string, string | number | null>, details?: unknown) {
    super(message);
    this.name = 'XinzhiError';
    this.code = code;
    this.params = withFallbackParams(code, message, params);
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
    const { code, message, params } = err as { code: unknown; message: unknown; params?: unknown };
    if (isErrorCode(code) && typeof message === 'string') {
      const info: ErrorInfo = { code, message };
      if (params && typeof params === 'object' && Object.values(params).every((v) => v === null || typeof v === 'string' || typeof v === 'number')) {
        info.params = params as Record<string, string | number | null>;
      }
      return info;
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'E_INTERNAL', message };
}
