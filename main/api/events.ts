import type { ApiEventName, ApiEvents } from './contract.ts';

type Listener<E extends ApiEventName> = (payload: ApiEvents[E]) => void;

/** Core → front ends. Each transport subscribes once and forwards (IPC send, WebSocket push). */
export class EventBus {
  private readonly listeners = new Set<(event: ApiEventName, payload: unknown) => void>();

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners) l(event, payload);
  }

  subscribe(listener: (event: ApiEventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<E extends ApiEventName>(event: E, listener: Listener<E>): () => void {
    return this.subscribe((name, payload) => {
      if (name === event) listener(payload as ApiEvents[E]);
    });
  }
}
