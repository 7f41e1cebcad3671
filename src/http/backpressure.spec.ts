/**
 * writeOrWait against a real HTTP response whose client stops reading. The server listens on a Unix
 * socket: its buffers are small and fixed (TCP on loopback keeps accepting a paused client's data
 * for minutes as the kernel compacts its queue), so the client is truly stalled within a few writes.
 */
import * as http from 'http';
import * as net from 'net';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { Response } from 'express';
import { endOrDestroy, writeOrWait } from './backpressure';

const CHUNK = 'x'.repeat(64 * 1024);

/** Runs handler for one request from a client that client() drives; resolves once both are done. */
async function withServer(handler: (res: Response) => Promise<void>, client: (socket: net.Socket) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'runlog-bp-'));
  const file = path.join(dir, 's.sock');
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const server = http.createServer((_req, res) => void handler(res as unknown as Response).finally(finished));
  await new Promise<void>((resolve) => server.listen(file, resolve));
  const socket = net.connect(file, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  socket.on('error', () => undefined);
  const clientDone = client(socket);
  try {
    await done;
    await clientDone;
  } finally {
    socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('writeOrWait', () => {
  it('waits while the client does not read, and destroys the response once it has not drained for stallMs', async () => {
    let written = 0;
    let outcome: boolean | undefined;
    let stalledFor = 0;
    await withServer(
      async (res) => {
        res.writeHead(200);
        for (;;) {
          const before = Date.now();
          outcome = await writeOrWait(res, CHUNK, 300);
          if (!outcome) {
            stalledFor = Date.now() - before;
            break;
          }
          written += CHUNK.length;
          // Never more than about one chunk past the high-water mark waits in the server's buffer.
          expect(res.writableLength).toBeLessThanOrEqual(CHUNK.length + res.writableHighWaterMark);
        }
        expect(res.destroyed).toBe(true);
      },
      (socket) => socket.once('data', () => socket.pause()),
    );
    expect(outcome).toBe(false);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    expect(stalledFor).toBeGreaterThanOrEqual(290);
  });

  it('a client that reads slowly but steadily is never cut, and gets every byte', async () => {
    let received = 0;
    await withServer(
      async (res) => {
        res.writeHead(200);
        for (let i = 0; i < 12; i += 1) expect(await writeOrWait(res, CHUNK, 300)).toBe(true);
        endOrDestroy(res, 300);
        await new Promise((resolve) => res.once('close', resolve));
        expect(res.writableFinished).toBe(true);
      },
      (socket) => {
        let sincePause = 0;
        socket.on('data', (c: Buffer) => {
          received += c.length;
          sincePause += c.length;
          if (sincePause < CHUNK.length) return;
          sincePause = 0;
          socket.pause();
          setTimeout(() => socket.resume(), 50); // slow, but never 300 ms without reading
        });
        return new Promise<void>((resolve) => socket.once('end', resolve));
      },
    );
    expect(received).toBeGreaterThan(12 * CHUNK.length);
  });

  it('endOrDestroy: a response whose client stops reading before its end is destroyed after stallMs', async () => {
    let destroyed = false;
    let closedAfter = 0;
    await withServer(
      async (res) => {
        res.writeHead(200);
        for (let i = 0; i < 16; i += 1) res.write(CHUNK); // 1 MiB: more than the socket's buffers hold
        const ended = Date.now();
        endOrDestroy(res, 200);
        // Without the deadline 'close' would never come: the client never reads the rest.
        await new Promise((resolve) => res.once('close', resolve));
        closedAfter = Date.now() - ended;
        destroyed = res.destroyed;
      },
      (socket) => void socket.once('data', () => socket.pause()),
    );
    expect(destroyed).toBe(true);
    expect(closedAfter).toBeGreaterThanOrEqual(190);
  });
});
