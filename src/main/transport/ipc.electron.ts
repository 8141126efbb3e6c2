/**
 * The Electron IPC transport: main answers `invoke` through the bound contract after checking the sender, and
 * forwards contract events to the windows; the preload side builds the `Bridge` the renderer sees. Electron's
 * objects are passed in (only types are imported), so both halves run under unit tests without the binary.
 */
import type { IpcMain, IpcMainInvokeEvent, IpcRenderer, IpcRendererEvent, WebContents } from 'electron';
import type { Bridge } from '../../shared/contract/wire.js';
import type { Result } from '../../shared/model/errors.js';
import type { BoundContract } from './bind.js';
import type { EventListener } from './event-bus.js';

/** The three IPC channels. Procedure and event names travel as data inside them, checked against the contract. */
export const IPC_CHANNELS = Object.freeze({
  invoke: 'xinzhi:invoke',
  event: 'xinzhi:event',
  chooseSavePath: 'xinzhi:choose-save-path',
});

const MAX_NAME_LENGTH = 200;
const MAX_FILE_NAME_LENGTH = 255;

export interface IpcServerOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  bound: BoundContract;
  events: { subscribe(listener: EventListener): () => void };
  /** Whether a message comes from our own UI (our window, an `app://` frame); everything else is refused. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
  /** The webContents that receive contract events (all our windows). */
  eventTargets(): Iterable<Pick<WebContents, 'send' | 'isDestroyed' | 'getURL'>>;
  /** Whether a webContents still shows our UI; events are never sent to a page that is not ours. */
  isTrustedTargetUrl(url: string): boolean;
  /** Shows the native save dialog for the sender's window; resolves to the chosen path or null. */
  chooseSavePath(event: IpcMainInvokeEvent, defaultName: string): Promise<string | null>;
  /** Told about each refused message (for a log line); never throws back to the sender. */
  onRefused?(channel: string, event: IpcMainInvokeEvent): void;
}

function unauthorized(): Result<unknown> {
  return { ok: false, error: { code: 'E_UNAUTHORIZED', message: 'IPC message from an untrusted sender was refused' } };
}

/** Registers the IPC handlers in main; returns a function that removes them and stops forwarding events. */
export function serveContractOverIpc(options: IpcServerOptions): () => void {
  const { ipcMain, bound } = options;
  const procedures = new Set(bound.procedureNames);

  ipcMain.handle(IPC_CHANNELS.invoke, async (event: IpcMainInvokeEvent, name: unknown, payload: unknown): Promise<Result<unknown>> => {
    if (!options.isTrustedSender(event)) {
      options.onRefused?.(IPC_CHANNELS.invoke, event);
      return unauthorized();
    }
    if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !procedures.has(name)) {
      const shown = typeof name === 'string' ? name.slice(0, MAX_NAME_LENGTH) : typeof name;
      return { ok: false, error: { code: 'E_UNKNOWN_PROCEDURE', message: `Unknown procedure ${shown}`, params: { name: shown } } };
    }
    try {
      return await bound.invoke(name, payload);
    } catch (err) {
      // bind() already turns service errors into data; this only guards the handler itself.
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { code: 'E_INTERNAL', message, params: { message } } };
    }
  });

  ipcMain.handle(IPC_CHANNELS.chooseSavePath, async (event: IpcMainInvokeEvent, defaultName: unknown): Promise<string | null> => {
    if (!options.isTrustedSender(event)) {
      options.onRefused?.(IPC_CHANNELS.chooseSavePath, event);
      return null;
    }
    return options.chooseSavePath(event, sanitizeFileName(defaultName));
  });

  const unsubscribe = options.events.subscribe((name, payload) => {
    for (const target of options.eventTargets()) {
      if (target.isDestroyed() || !options.isTrustedTargetUrl(target.getURL())) continue;
      target.send(IPC_CHANNELS.event, name, payload);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CHANNELS.invoke);
    ipcMain.removeHandler(IPC_CHANNELS.chooseSavePath);
  };
}

/**
 * The renderer proposes only a file *name* for the save dialog: directories are dropped (the user picks the folder),
 * as are control and reserved characters; an empty result becomes "export".
 */
export function sanitizeFileName(value: unknown): string {
  const raw = typeof value === 'string' ? value : '';
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^\.+/, '').trim().slice(0, MAX_FILE_NAME_LENGTH);
  return cleaned === '' ? 'export' : cleaned;
}

export interface IpcBridgeOptions {
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
  /** `webUtils.getPathForFile`; it throws for anything that is not a File, so no check is needed here. */
  getPathForFile(file: object): string;
  /** Every `domain.name` of the contract, from `listNames(contract)`. */
  procedureNames: Iterable<string>;
  eventNames: Iterable<string>;
}

/**
 * The preload half: the object exposed as `window.bridge`. Names are checked against the contract before anything
 * crosses to main; listeners get the payload only, never Electron's event (which would leak `sender`).
 */
export function createIpcBridge(options: IpcBridgeOptions): Bridge {
  const { ipcRenderer } = options;
  const procedures = new Set(options.procedureNames);
  const events = new Set(options.eventNames);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let attached = false;

  const dispatch = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
    if (typeof name !== 'string') return;
    for (const listener of listeners.get(name) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        // One failing listener must not starve the others.
        console.error(`bridge: listener for ${name} threw`, err);
      }
    }
  };

  return {
    invoke(name: string, payload: unknown) {
      if (typeof name !== 'string' || !procedures.has(name)) {
        const shown = String(name).slice(0, MAX_NAME_LENGTH);
        return Promise.resolve({ ok: false, error: { code: 'E_UNKNOWN_PROCEDURE', message: `Unknown procedure ${shown}`, params: { name: shown } } });
      }
      // A rejection (no handler while the app quits, an uncloneable payload) still reaches the caller as a Result.
      return (ipcRenderer.invoke(IPC_CHANNELS.invoke, name, payload) as Promise<Result<unknown>>).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, error: { code: 'E_INTERNAL', message, params: { message } } };
      });
    },
    on(eventName: string, listener: (payload: unknown) => void) {
      if (typeof eventName !== 'string' || !events.has(eventName)) throw new Error(`Unknown event ${String(eventName)}`);
      if (typeof listener !== 'function') throw new TypeError('bridge.on: listener must be a function');
      let set = listeners.get(eventName);
      if (!set) listeners.set(eventName, (set = new Set()));
      set.add(listener);
      if (!attached) {
        ipcRenderer.on(IPC_CHANNELS.event, dispatch);
        attached = true;
      }
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        set.delete(listener);
        if (set.size === 0) listeners.delete(eventName);
        if (listeners.size === 0 && attached) {
          ipcRenderer.removeListener(IPC_CHANNELS.event, dispatch);
          attached = false;
        }
      };
    },
    getPathForFile(file: object) {
      return options.getPathForFile(file);
    },
    chooseSavePath(defaultName: string) {
      return ipcRenderer.invoke(IPC_CHANNELS.chooseSavePath, String(defaultName)) as Promise<string | null>;
    },
  };
}
