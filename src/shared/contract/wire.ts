/**
 * How the contract travels outside the process: the WebSocket messages of browser mode, the HTTP routes beside
 * them, and the bridge the Electron preload exposes. Names of procedures/events are always `domain.name`.
 */
import { z } from 'zod';

export const WireInvokeSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int(),
  name: z.string(),
  payload: z.unknown(),
});
export type WireInvoke = z.infer<typeof WireInvokeSchema>;

export type WireServerMessage =
  | { type: 'result'; id: number; result: { ok: true; value: unknown } | { ok: false; error: unknown } }
  | { type: 'event'; name: string; payload: unknown };

/** Browser-mode HTTP routes. Every route needs the per-launch token (query `token`, header or cookie). */
export const WEB_ROUTES = {
  /** WebSocket endpoint carrying WireInvoke / WireServerMessage. */
  socket: '/ws',
  /** POST raw file bytes, query `name=<file name>` → `{ path }` of a copy in the workspace's uploads. */
  upload: '/api/upload',
  /** GET `/api/export/<versionId>.csv` → the version as UTF-8 CSV. */
  exportPrefix: '/api/export/',
  /** GET `/api/report/<reportId>.pdf` → a generated report (recorded in the catalog) as a download. */
  reportPrefix: '/api/report/',
} as const;

export const TOKEN_QUERY_PARAM = 'token';
export const TOKEN_HEADER = 'x-xinzhi-token';
export const TOKEN_COOKIE = 'xinzhi_token';

/** The object the Electron preload exposes as `window.bridge`. */
export interface Bridge {
  invoke(name: string, payload: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
  on(eventName: string, listener: (payload: unknown) => void): () => void;
  /** Path on disk of a File chosen or dropped in the window. */
  getPathForFile(file: object): string;
  /** Shows the native save dialog; resolves to the chosen path or null. */
  chooseSavePath(defaultName: string): Promise<string | null>;
}
