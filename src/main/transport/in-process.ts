/** The in-process transport: the CLI and the tests call the bound contract directly, through the same gate. */
import type { ClientTransport } from '../../shared/contract/client.js';
import type { BoundContract } from './bind.js';
import type { EventBus } from './event-bus.js';

export function createInProcessTransport(bound: BoundContract, events: EventBus): ClientTransport {
  return {
    // A structured clone keeps the caller from sharing objects with the services, as a real wire would.
    invoke: async (name, payload) => structuredClone(await bound.invoke(name, structuredClone(payload))),
    on: (eventName, listener) =>
      events.subscribe((name, payload) => {
        if (name === eventName) listener(structuredClone(payload));
      }),
  };
}
