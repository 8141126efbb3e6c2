/**
 * Browser mode's transport: one WebSocket to `xinzhi serve` carrying WireInvoke / WireServerMessage. It reconnects
 * with backoff when the socket drops; calls in flight then fail with a ConnectionError (the service may or may not
 * have run them, so they are not silently repeated), and calls made while disconnected wait a little for the socket.
 */
import type { ClientTransport } from '../../shared/contract/client.js';
import { TOKEN_QUERY_PARAM, type WireInvoke, type WireServerMessage } from '../../shared/contract/wire.js';
import type { Result } from '../../shared/model/errors.js';
import { ConnectionError, asErrorInfo } from './errors.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

interface Pending {
  resolve: (result: Result<unknown>) => void;
  reject: (err: unknown) => void;
}

/** How long a call waits for a socket that is (re)connecting before it fails. */
const WAIT_FOR_OPEN_MS = 15_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 5_000;
/** Close codes a server uses to say "wrong or missing token": retrying will not help. */
const UNAUTHORIZED_CLOSE_CODES = new Set([1008, 4001, 4401, 4403]);

export class WebSocketTransport implements ClientTransport {
  private socket: WebSocket | null = null;
  private state: ConnectionState = 'connecting';
  private nextId = 1;
  private attempts = 0;
  private everOpened = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private waiters: { resolve: () => void; reject: (err: unknown) => void; timer: ReturnType<typeof setTimeout> }[] = [];

  /**
   * `probe` answers, after a few failed attempts, whether the server is up but refusing our token (browsers hide a
   * WebSocket handshake's HTTP status) — say after `xinzhi serve` was restarted with a new token.
   */
  constructor(
    private readonly url: string,
    private readonly probe?: () => Promise<'unauthorized' | 'other'>,
  ) {
    this.connect();
  }

  getState(): ConnectionState {
    return this.state;
  }

  /** For useSyncExternalStore: called on every state change. */
  subscribeState = (listener: (state: ConnectionState) => void): (() => void) => {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  };

  /** Called after a dropped socket is back: events may have been missed, so caches should refetch. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async invoke(name: string, payload: unknown): Promise<Result<unknown>> {
    await this.whenOpen();
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) throw new ConnectionError('lost', 'The connection to the workbench was lost.');
    const id = this.nextId++;
    const message: WireInvoke = { type: 'invoke', id, name, payload };
    return new Promise<Result<unknown>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        socket.send(JSON.stringify(message));
      } catch (err) {
        this.pending.delete(id);
        reject(new ConnectionError('lost', err instanceof Error ? err.message : String(err)));
      }
    });
  }

  on(eventName: string, listener: (payload: unknown) => void): () => void {
    let set = this.eventListeners.get(eventName);
    if (!set) {
      set = new Set();
      this.eventListeners.set(eventName, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private whenOpen(): Promise<void> {
    if (this.state === 'open' && this.socket?.readyState === WebSocket.OPEN) return Promise.resolve();
    if (this.state === 'unauthorized') return Promise.reject(new ConnectionError('unauthorized', 'Not authorised.'));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new ConnectionError('unavailable', 'The workbench server cannot be reached.'));
        }, WAIT_FOR_OPEN_MS),
      };
      this.waiters.push(waiter);
    });
  }

  private releaseWaiters(err?: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      if (err) w.reject(err);
      else w.resolve();
    }
  }

  private connect(): void {
    this.reconnectTimer = null;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let opened = false;

    socket.onopen = () => {
      opened = true;
      const wasReconnect = this.everOpened;
      this.everOpened = true;
      this.attempts = 0;
      this.setState('open');
      this.releaseWaiters();
      if (wasReconnect) for (const listener of this.reconnectListeners) listener();
    };

    socket.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      let message: WireServerMessage;
      try {
        message = JSON.parse(ev.data) as WireServerMessage;
      } catch {
        return;
      }
      if (message.type === 'result') {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        const result = message.result;
        if (result.ok) call.resolve({ ok: true, value: result.value });
        else {
          const info = asErrorInfo(result.error);
          call.resolve({ ok: false, error: info ?? { code: 'E_INTERNAL', message: 'Malformed error from the server', params: { message: 'malformed error' } } });
        }
      } else if (message.type === 'event') {
        const set = this.eventListeners.get(message.name);
        if (!set) return;
        for (const listener of [...set]) {
          try {
            listener(message.payload);
          } catch (err) {
            console.error(err);
          }
        }
      }
    };

    socket.onclose = (ev: CloseEvent) => {
      if (this.socket === socket) this.socket = null;
      const lost = new ConnectionError('lost', 'The connection to the workbench was lost.');
      for (const call of this.pending.values()) call.reject(lost);
      this.pending.clear();
      if (UNAUTHORIZED_CLOSE_CODES.has(ev.code) || (!opened && !this.everOpened && this.attempts >= 2 && !hasToken(this.url))) {
        this.refuse();
        return;
      }
      if (!opened && this.attempts >= 2 && this.probe) {
        const attempts = this.attempts;
        this.probe().then(
          (answer) => {
            if (answer === 'unauthorized' && this.attempts === attempts && this.state !== 'open') this.refuse();
            else this.scheduleReconnect();
          },
          () => this.scheduleReconnect(),
        );
        return;
      }
      this.scheduleReconnect();
    };
  }

  private refuse(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.setState('unauthorized');
    this.releaseWaiters(new ConnectionError('unauthorized', 'Not authorised.'));
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer) return;
    this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempts);
    this.attempts++;
    const delay = base / 2 + Math.random() * (base / 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }
}

function hasToken(url: string): boolean {
  try {
    return Boolean(new URL(url).searchParams.get(TOKEN_QUERY_PARAM));
  } catch {
    return false;
  }
}
