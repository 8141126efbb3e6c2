/** Fan-out of contract events from the services to every connected transport. */
import type { Contract, EventPayload } from '../../shared/contract/index.js';

export type EventListener = (name: string, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<D extends keyof Contract & string, K extends keyof Contract[D] & string>(
    domain: D,
    name: K,
    payload: EventPayload<Contract, D, K>,
  ): void {
    const qualified = `${domain}.${name}`;
    for (const listener of this.listeners) {
      try {
        listener(qualified, payload);
      } catch {
        // A failing subscriber (a closed socket, say) must not stop the others or the service.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
