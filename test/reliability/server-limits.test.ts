/**
 * The HTTP server's own bounds (src/http/server-limits.ts): a client that sends its headers or its
 * body too slowly, or not at all, is answered 408 and closed within the configured time (Node's
 * defaults kept such sockets open for minutes), and connections past HTTP_MAX_CONNECTIONS are refused.
 */
import * as net from 'net';
import { bearer } from '../api/api-helpers';
import { startTestApp, TestApp } from '../support/test-app';

interface RawOutcome {
  firstLine: string | null;
  closedAfterMs: number;
}

/** Opens a raw connection, lets `drive` write to it, and reports what came back and when it closed. */
function raw(t: TestApp, drive: (socket: net.Socket) => void, limitMs = 15_000): Promise<RawOutcome> {
  const { port } = new URL(t.baseUrl);
  return new Promise((resolve) => {
    const started = Date.now();
    let firstLine: string | null = null;
    const socket = net.connect(Number(port), '127.0.0.1', () => drive(socket));
    const timer = setTimeout(() => socket.destroy(), limitMs);
    socket.on('data', (d: Buffer) => (firstLine ??= d.toString('latin1').split('\r\n')[0]));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ firstLine, closedAfterMs: Date.now() - started });
    });
  });
}

describe('HTTP server limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { HTTP_HEADERS_TIMEOUT_SECONDS: '1', HTTP_REQUEST_TIMEOUT_SECONDS: '2', HTTP_IDLE_TIMEOUT_SECONDS: '20', HTTP_MAX_CONNECTIONS: '250' } });
  });
  afterAll(async () => t?.close());

  it('headers that never end: 408 and closed within HTTP_HEADERS_TIMEOUT_SECONDS (plus the 1 s check)', async () => {
    const outcome = await raw(t, (s) => s.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    expect(outcome.firstLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(outcome.closedAfterMs).toBeLessThan(3500);
  });

  it('a connection that sends nothing is closed within the headers timeout', async () => {
    const outcome = await raw(t, () => undefined);
    expect(outcome.closedAfterMs).toBeLessThan(3500);
  });

  it('an authenticated body sent a byte at a time is cut at HTTP_REQUEST_TIMEOUT_SECONDS, not kept open', async () => {
    const token = await bearer('service');
    const outcome = await raw(t, (s) => {
      s.write(`POST /api/v1/batch/runs HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
      const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write(' ')), 300);
      s.once('close', () => clearInterval(drip));
    });
    expect(outcome.firstLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(outcome.closedAfterMs).toBeLessThan(4500);
  });

  it('200 slow-body sockets are all closed within the request timeout, and the server answers meanwhile', async () => {
    const token = await bearer('service');
    const all = Array.from({ length: 200 }, () =>
      raw(t, (s) => s.write(`POST /api/v1/batch/runs HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`)),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${t.baseUrl}/health`)).status).toBe(200);
    const outcomes = await Promise.all(all);
    expect(Math.max(...outcomes.map((o) => o.closedAfterMs))).toBeLessThan(5000);
  });

  it('connections beyond HTTP_MAX_CONNECTIONS are refused at the socket; once others close, new ones are served', async () => {
    const small = await startTestApp({ db: t.db, listen: true, env: { HTTP_MAX_CONNECTIONS: '3' } });
    const { port } = new URL(small.baseUrl);
    const held: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const s = net.connect(Number(port), '127.0.0.1');
        s.on('error', () => undefined);
        await new Promise((r) => s.once('connect', r));
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 100));
      const refused = await raw(small, (s) => s.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'), 5000);
      expect(refused.firstLine).toBeNull();
      expect(refused.closedAfterMs).toBeLessThan(1000);
      for (const s of held) s.destroy();
      await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${small.baseUrl}/health`)).status).toBe(200);
    } finally {
      for (const s of held) s.destroy();
      await small.close();
    }
  });
});
