/** The Electron transport: the preload's `window.bridge`, which already speaks Results. */
import type { ClientTransport } from '../../shared/contract/client.js';
import type { Bridge } from '../../shared/contract/wire.js';
import type { Result } from '../../shared/model/errors.js';
import { asErrorInfo } from './errors.js';

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

export function createBridgeTransport(bridge: Bridge): ClientTransport {
  return {
    async invoke(name, payload): Promise<Result<unknown>> {
      const result = await bridge.invoke(name, payload);
      if (result.ok) return result;
      const info = asErrorInfo(result.error);
      return { ok: false, error: info ?? { code: 'E_INTERNAL', message: String(result.error), params: { message: String(result.error) } } };
    },
    on: (eventName, listener) => bridge.on(eventName, listener),
  };
}
