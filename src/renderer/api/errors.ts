/** Turns anything a call can throw into a localised sentence: never a stack trace on screen. */
import { XinzhiError, type ErrorInfo } from '../../shared/model/errors.js';
import { ErrorInfoSchema } from '../../shared/model/error-schemas.js';

/** Thrown by a transport when the host cannot be reached (socket down, upload refused); not a service error. */
export class ConnectionError extends Error {
  readonly reason: 'lost' | 'unavailable' | 'upload' | 'unauthorized';
  readonly status: number | undefined;

  constructor(reason: ConnectionError['reason'], message: string, status?: number) {
    super(message);
    this.name = 'ConnectionError';
    this.reason = reason;
    this.status = status;
  }
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Reads an ErrorInfo out of whatever travelled (a job's `error`, a Result's error), or undefined. */
export function asErrorInfo(value: unknown): ErrorInfo | undefined {
  const parsed = ErrorInfoSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function describeErrorInfo(info: ErrorInfo, t: Translate): string {
  return t(`errors.${info.code}`, { ...(info.params ?? {}) });
}

export function describeError(err: unknown, t: Translate): string {
  if (err instanceof XinzhiError) return t(`errors.${err.code}`, { ...(err.params ?? {}) });
  if (err instanceof ConnectionError) {
    if (err.reason === 'unauthorized') return t('errors.E_UNAUTHORIZED');
    return t(`ui.connection.error.${err.reason}`);
  }
  const info = asErrorInfo(err);
  if (info) return describeErrorInfo(info, t);
  // Something unexpected in the renderer itself: show its message, still inside a localised frame.
  const message = err instanceof Error ? err.message : String(err);
  return t('errors.E_INTERNAL', { message });
}
