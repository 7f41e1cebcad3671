/**
 * A client that sends a GET and then stops reading: it reads the first chunk (the status line and
 * headers, and whatever body came with them), then pauses its socket, so the server's writes pile
 * up in the kernel's buffers and then in the server's own. How a browser tab behind a frozen proxy,
 * or a script blocked on something else, looks from the server.
 */
import * as net from 'net';

export interface StalledClient {
  status: number;
  headers: string;
  /** Reads everything the server still sends, until it closes the connection; resolves with the body's total size. */
  drain(timeoutMs?: number): Promise<{ bytes: number; closedBy: 'end' | 'error' | 'timeout' }>;
  /** Whether the server has closed the connection (seen once the client reads again). */
  destroy(): void;
}

export function stalledGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<StalledClient> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = 0;
    socket.once('error', reject);
    socket.on('connect', () => {
      const lines = [`GET ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
      socket.write(lines.join('\r\n'));
    });
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.removeListener('error', reject);
      socket.on('error', () => undefined);
      received = chunk.length;
      const text = chunk.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({
        status,
        headers: headEnd >= 0 ? text.slice(0, headEnd) : text,
        drain(timeoutMs = 30_000) {
          return new Promise((done) => {
            let bytes = received - (headEnd >= 0 ? headEnd + 4 : 0);
            const timer = setTimeout(() => finish('timeout'), timeoutMs);
            const finish = (closedBy: 'end' | 'error' | 'timeout') => {
              clearTimeout(timer);
              socket.destroy();
              done({ bytes, closedBy });
            };
            socket.on('data', (c: Buffer) => (bytes += c.length));
            socket.once('end', () => finish('end'));
            socket.once('close', () => finish('end'));
            socket.once('error', () => finish('error'));
            socket.resume();
          });
        },
        destroy: () => socket.destroy(),
      });
    });
  });
}

/** Samples this process's resident set every few ms until stopped; returns the largest growth over the start. */
export function sampleRss(everyMs = 20): { stop(): number } {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) - start;
    },
  };
}
