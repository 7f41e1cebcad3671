/**
 * Follows a run's event stream with the standard EventSource client (the `eventsource` package), as
 * a third party would: named listeners for every documented event type, its own reconnection and
 * Last-Event-ID. Each connection attempt is recorded (with the Last-Event-ID it sent), so a test can
 * see that the client resumed exactly once and stopped for good after a finished run.
 */
import { EventSource } from 'eventsource';
import { RUN_EVENT_TYPES } from '../../src/batch-runs/domain/run.events';

export interface ReceivedEvent {
  /** The SSE event name the listener was registered for. */
  name: string;
  lastEventId: string;
  data: { version: number; type: string; occurred_at: string; data: Record<string, unknown> };
}

export interface EventSourceFollower {
  source: EventSource;
  events: ReceivedEvent[];
  /** Events that reached `onmessage` (unnamed ones). */
  unnamed: number;
  /** One element per connection attempt: the Last-Event-ID header it carried (null on the first). */
  attempts: Array<string | null>;
  /** HTTP statuses of the attempts, in order. */
  statuses: number[];
  /** Resolves once `predicate` holds for the events received so far. */
  until(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once the client has given up for good (readyState CLOSED, as after a 204), or after timeoutMs. */
  stopped(timeoutMs?: number): Promise<void>;
  close(): void;
}

export function followWithEventSource(url: string, authorization: string): EventSourceFollower {
  const attempts: Array<string | null> = [];
  const statuses: number[] = [];
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const source = new EventSource(url, {
    // The only way to send a bearer token with EventSource: the package lets us supply its fetch.
    fetch: async (input, init) => {
      const headers = new Headers(init.headers as Record<string, string>);
      attempts.push(headers.get('last-event-id'));
      headers.set('Authorization', authorization);
      const res = await fetch(input, { ...init, headers } as RequestInit);
      statuses.push(res.status);
      return res;
    },
  });
  const follower: EventSourceFollower = {
    source,
    events,
    unnamed: 0,
    attempts,
    statuses,
    until(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out with ${events.length} events: ${events.map((e) => e.lastEventId).join(',')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stopped(timeoutMs = 8_000) {
      for (const deadline = Date.now() + timeoutMs; source.readyState !== source.CLOSED && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => source.close(),
  };
  source.onmessage = () => {
    follower.unnamed += 1;
  };
  for (const name of RUN_EVENT_TYPES) {
    source.addEventListener(name, (message) => {
      events.push({ name, lastEventId: message.lastEventId, data: JSON.parse(message.data) });
      for (const w of [...waiters]) w();
    });
  }
  return follower;
}
