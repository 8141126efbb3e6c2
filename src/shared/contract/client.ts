/** A typed client derived from the contract, over any transport (IPC, WebSocket, in-process). */
import type { ClientFor, ContractDef } from './procedure.js';
import { XinzhiError, type Result } from '../model/errors.js';

export interface ClientTransport {
  invoke(name: string, payload: unknown): Promise<Result<unknown>>;
  on(eventName: string, listener: (payload: unknown) => void): () => void;
}

/** `api.catalog.listDatasets(input)` resolves to the output or throws XinzhiError; `api.jobs.onDidUpdate(cb)` subscribes. */
export function createClient<C extends ContractDef>(contract: C, transport: ClientTransport): ClientFor<C> {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [domain, defs] of Object.entries(contract)) {
    const methods: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(defs)) {
      const qualified = `${domain}.${name}`;
      methods[name] =
        def.kind === 'procedure'
          ? async (input: unknown) => {
              const result = await transport.invoke(qualified, input ?? {});
              if (!result.ok) throw XinzhiError.fromInfo(result.error);
              return result.value;
            }
          : (listener: (payload: unknown) => void) => transport.on(qualified, listener);
    }
    client[domain] = methods;
  }
  return client as ClientFor<C>;
}
