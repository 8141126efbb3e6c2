/**
 * The host the renderer runs in: Electron (the preload's bridge) or a browser talking to `xinzhi serve`.
 * Everything that differs between the two — the transport, how a picked file reaches the services, how an
 * export is saved — is decided here once, so features never ask which host they are in.
 */
import { contract, createClient, type Api } from '../../shared/contract/index.js';
import { WEB_ROUTES, TOKEN_HEADER, TOKEN_QUERY_PARAM, type Bridge } from '../../shared/contract/wire.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { createBridgeTransport } from './bridge-transport.js';
import { WebSocketTransport, type ConnectionState } from './ws-transport.js';
import { ConnectionError, asErrorInfo } from './errors.js';
import { captureToken } from './token.js';

export type HostMode = 'electron' | 'browser';

export interface ConnectionStore {
  getState(): ConnectionState;
  subscribe(listener: () => void): () => void;
  onReconnect(listener: () => void): () => void;
}

export interface ExportOutcome {
  /** Where the file went, when the host knows (Electron); null for a browser download. */
  path: string | null;
  rowCount: number | null;
}

export interface Host {
  readonly mode: HostMode;
  readonly api: Api;
  readonly connection: ConnectionStore;
  /** Makes a file the user picked or dropped readable by the services and returns its path there. */
  resolveImportPath(file: File): Promise<string>;
  /** Saves a version as CSV: a native save dialog in Electron, a download in the browser. Null when the user cancelled. */
  exportVersion(versionId: string, suggestedName: string): Promise<ExportOutcome | null>;
  /** Saves a generated report (PDF): a native save dialog in Electron, a download in the browser. Null when cancelled. */
  saveReport(reportId: string, suggestedName: string): Promise<{ path: string | null } | null>;
}

export function createHost(): Host {
  const bridge = window.bridge;
  return bridge ? createElectronHost(bridge) : createBrowserHost();
}

function createElectronHost(bridge: Bridge): Host {
  const api = createClient(contract, createBridgeTransport(bridge));
  return {
    mode: 'electron',
    api,
    connection: { getState: () => 'open', subscribe: () => () => {}, onReconnect: () => () => {} },
    resolveImportPath: async (file) => {
      const path = bridge.getPathForFile(file);
      if (!path) throw new ConnectionError('upload', 'The file has no path on disk.');
      return path;
    },
    exportVersion: async (versionId, suggestedName) => {
      const path = await bridge.chooseSavePath(suggestedName);
      if (!path) return null;
      const result = await api.catalog.exportVersion({ versionId, path });
      return { path: result.path, rowCount: result.rowCount };
    },
    saveReport: async (reportId, suggestedName) => {
      const path = await bridge.chooseSavePath(suggestedName);
      if (!path) return null;
      return { path: (await api.reports.saveReport({ reportId, path })).path };
    },
  };
}

function createBrowserHost(): Host {
  const token = captureToken();
  const wsUrl = new URL(WEB_ROUTES.socket, window.location.href);
  wsUrl.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (token) wsUrl.searchParams.set(TOKEN_QUERY_PARAM, token);
  const probe = async (): Promise<'unauthorized' | 'other'> => {
    const page = new URL('./', window.location.href);
    if (token) page.searchParams.set(TOKEN_QUERY_PARAM, token);
    const response = await fetch(page, { method: 'GET', cache: 'no-store', credentials: token ? 'omit' : 'same-origin' });
    return response.status === 401 || response.status === 403 ? 'unauthorized' : 'other';
  };
  const transport = new WebSocketTransport(wsUrl.toString(), probe);
  const api = createClient(contract, transport);

  return {
    mode: 'browser',
    api,
    connection: {
      getState: () => transport.getState(),
      subscribe: (listener) => transport.subscribeState(listener),
      onReconnect: (listener) => transport.onReconnect(listener),
    },
    resolveImportPath: async (file) => {
      const url = new URL(WEB_ROUTES.upload, window.location.href);
      url.searchParams.set('name', file.name);
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers: token ? { [TOKEN_HEADER]: token } : {}, body: file });
      } catch (err) {
        throw new ConnectionError('unavailable', err instanceof Error ? err.message : String(err));
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.status === 401 || response.status === 403) throw new ConnectionError('unauthorized', 'Not authorised.', response.status);
      if (!response.ok) {
        const info = asErrorInfo(body) ?? asErrorInfo((body as { error?: unknown } | null)?.error);
        if (info) throw XinzhiError.fromInfo(info);
        throw new ConnectionError('upload', `Upload failed with HTTP ${response.status}`, response.status);
      }
      const path = (body as { path?: unknown } | null)?.path;
      if (typeof path !== 'string' || !path) throw new ConnectionError('upload', 'The server did not say where the upload went.');
      return path;
    },
    exportVersion: async (versionId, suggestedName) => {
      const url = new URL(`${WEB_ROUTES.exportPrefix}${encodeURIComponent(versionId)}.csv`, window.location.href);
      if (token) url.searchParams.set(TOKEN_QUERY_PARAM, token);
      const anchor = document.createElement('a');
      anchor.href = url.toString();
      anchor.download = suggestedName;
      anchor.rel = 'noopener';
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      return { path: null, rowCount: null };
    },
    saveReport: async (reportId, suggestedName) => {
      const url = new URL(`${WEB_ROUTES.reportPrefix}${encodeURIComponent(reportId)}.pdf`, window.location.href);
      if (token) url.searchParams.set(TOKEN_QUERY_PARAM, token);
      const anchor = document.createElement('a');
      anchor.href = url.toString();
      anchor.download = suggestedName;
      anchor.rel = 'noopener';
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      return { path: null };
    },
  };
}
