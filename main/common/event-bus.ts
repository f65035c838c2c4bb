/**
 * Events from the core's parts to the front ends, typed by an event map (event name → payload).
 * Low in the layers on purpose: sync, archive, sending, keeping and work emit through it without
 * knowing the API (main/api), which types the whole map (ApiEvents) and forwards each event to the
 * people allowed to see it. A part asks only for what it uses: EventSink of its own events, and
 * EventSource of those it listens to.
 */

/** Emits some of the map's events. */
export interface EventSink<M> {
  emit<E extends keyof M & string>(event: E, payload: M[E]): void;
}

/** Listens to some of the map's events; the returned function stops listening. */
export interface EventSource<M> {
  on<E extends keyof M & string>(event: E, listener: (payload: M[E]) => void): () => void;
}

/** Core → front ends. Each transport subscribes once and forwards (IPC send, WebSocket push). */
export class EventBus<M> implements EventSink<M>, EventSource<M> {
  private readonly listeners = new Set<(event: keyof M & string, payload: unknown) => void>();

  emit<E extends keyof M & string>(event: E, payload: M[E]): void {
    for (const l of this.listeners) l(event, payload);
  }

  subscribe(listener: (event: keyof M & string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<E extends keyof M & string>(event: E, listener: (payload: M[E]) => void): () => void {
    return this.subscribe((name, payload) => {
      if (name === event) listener(payload as M[E]);
    });
  }
}
