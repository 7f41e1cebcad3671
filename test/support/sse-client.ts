/** A minimal Server-Sent Events client for tests: real HTTP, parsed events, explicit close. */
import * as http from 'http';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Resolves with the next event, or null when the server ended the stream. */
  next(timeoutMs?: number): Promise<SseEvent | null>;
  /** Reads until the server ends the stream. */
  rest(timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

export function connectSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const queue: Array<SseEvent | null> = [];
      let waiter: ((e: SseEvent | null) => void) | null = null;
      let buffer = '';
      const push = (e: SseEvent | null) => {
        if (waiter) {
          const w = waiter;
          waiter = null;
          w(e);
        } else queue.push(e);
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let index: number;
        while ((index = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          const event: SseEvent = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length === 0 && event.id === undefined && event.event === undefined) continue;
          event.data = data.join('\n');
          push(event);
        }
      });
      res.on('end', () => push(null));
      res.on('close', () => push(null));
      const next = (timeoutMs = 10000) =>
        new Promise<SseEvent | null>((res2, rej2) => {
          if (queue.length > 0) return res2(queue.shift()!);
          const timer = setTimeout(() => {
            waiter = null;
            rej2(new Error(`no SSE event within ${timeoutMs} ms`));
          }, timeoutMs);
          waiter = (e) => {
            clearTimeout(timer);
            res2(e);
          };
        });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        next,
        async rest(timeoutMs = 10000) {
          const all: SseEvent[] = [];
          for (let e = await next(timeoutMs); e; e = await next(timeoutMs)) all.push(e);
          return all;
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
