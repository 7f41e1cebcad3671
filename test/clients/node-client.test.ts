/**
 * The Node client (clients/node), used as its users use it: the built package, required from the
 * repository root, against a real runlog over HTTP. The last test runs runlog as a process of its
 * own and kills it (service and embedded PostgreSQL together) while the client is logging.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as net from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { signToken } from '../../src/auth/token.service';
import { findFreePort } from '../../src/common/free-port';
import { buildService, startService, ServiceProcess } from '../support/service-process';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';
import { tcpProxy } from '../support/tcp-proxy';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { RunlogClient, BufferFullError, MAX_MESSAGE_LENGTH } = require('../../clients/node') as typeof import('../../clients/node/src');

interface Downloaded {
  seq: number;
  level: string;
  phase: string | null;
  message: string;
}

async function entriesOf(baseUrl: string, token: string, id: string): Promise<Downloaded[]> {
  const res = await fetch(`${baseUrl}/api/v1/admin/batch/history/${id}/logs?format=ndjson`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function runOf(baseUrl: string, token: string, id: string): Promise<{ status: string; log_entry_count?: number }> {
  const res = await fetch(`${baseUrl}/api/v1/admin/batch/history/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  return res.json();
}

describe('Node client against an in-process runlog', () => {
  let t: TestApp;
  let service: string;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { RUN_LEASE_SECONDS: '2' } });
    service = await tokenFor('service');
    admin = await tokenFor('admin');
  });
  afterAll(async () => t?.close());

  it('2,500 lines logged without awaiting arrive once each, in order, in batches; the phase and the run complete', async () => {
    const client = new RunlogClient({ baseUrl: t.baseUrl, token: service });
    const run = await client.startRun({ phases: ['load', 'report'] });
    expect(run.batchRunId).toMatch(/^batch_\d{8}_\d{6}_[0-9a-f]{8}$/);
    for (let i = 1; i <= 2000; i += 1) run.log(i % 100 ? 'info' : 'warning', `line ${i}`, { phase: 'load' });
    await run.completePhase('load', { completedJobs: 1 });
    for (let i = 2001; i <= 2500; i += 1) run.log('info', `line ${i}`, { phase: 'report' });
    await run.finish('completed');
    const entries = await entriesOf(t.baseUrl, admin, run.batchRunId);
    expect(entries.map((e) => e.message)).toEqual(Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(entries[99]).toMatchObject({ level: 'warning', phase: 'load' });
    expect(entries[2400].phase).toBe('report');
    expect((await runOf(t.baseUrl, admin, run.batchRunId)).status).toBe('completed');
    // Batches, not a request per line: the event store holds far fewer appends than lines.
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_events WHERE stream_id = $1 AND type = 'LogAppended'`, [run.batchRunId]);
    expect(rows[0].n).toBeLessThan(50);
  });

  it('a line longer than the server takes is split into marked parts; NUL becomes U+FFFD; nothing fails', async () => {
    const client = new RunlogClient({ baseUrl: t.baseUrl, token: service });
    const run = await client.startRun();
    const long = 'x'.repeat(MAX_MESSAGE_LENGTH * 2 + 10);
    run.log('error', long);
    run.log('info', 'a\u0000b');
    await run.finish('completed');
    const entries = await entriesOf(t.baseUrl, admin, run.batchRunId);
    expect(entries).toHaveLength(4);
    expect(entries.slice(0, 3).map((e) => e.message.match(/ \[part (\d)\/3\]$/)?.[1])).toEqual(['1', '2', '3']);
    expect(entries.slice(0, 3).map((e) => e.message.replace(/ \[part \d\/3\]$/, '')).join('')).toBe(long);
    expect(entries[3].message).toBe('a\uFFFDb');
  });

  it('a quiet run is kept alive by heartbeats past RUN_LEASE_SECONDS', async () => {
    const client = new RunlogClient({ baseUrl: t.baseUrl, token: service, run: { heartbeatMs: 400 } });
    const run = await client.startRun();
    run.log('info', 'then nothing for a while');
    await run.flush();
    await new Promise((r) => setTimeout(r, 4500)); // more than two leases of 2 s
    expect((await runOf(t.baseUrl, admin, run.batchRunId)).status).toBe('running');
    await run.finish('completed');
  }, 20_000);

  it('refused lines surface as an error of flush(), not a silent drop (run_finished)', async () => {
    const client = new RunlogClient({ baseUrl: t.baseUrl, token: service });
    const handle = await client.startRun();
    await fetch(`${t.baseUrl}/api/v1/batch/runs/${handle.batchRunId}/finish`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${service}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'failed' }),
    });
    handle.log('info', 'too late');
    await expect(handle.flush()).rejects.toThrow(/409 run_finished/);
    expect(handle.unsent).toBe(1);
    expect(() => handle.log('info', 'later still')).toThrow(/run_finished/);
    handle.close();
  });

  it('follow() yields the entries after afterSeq as they are committed and ends when the run finishes; download() streams the log', async () => {
    const producer = new RunlogClient({ baseUrl: t.baseUrl, token: service });
    const reader = new RunlogClient({ baseUrl: t.baseUrl, token: admin });
    const run = await producer.startRun();
    for (let i = 1; i <= 3; i += 1) run.log('info', `early ${i}`);
    await run.flush();
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of reader.follow(run.batchRunId, { afterSeq: 2 })) seen.push(`${entry.seq} ${entry.message}`);
    })();
    for (let i = 1; i <= 3; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      run.log('info', `late ${i}`);
      await run.flush();
    }
    await run.finish('completed');
    await following;
    expect(seen).toEqual(['3 early 3', '4 late 1', '5 late 2', '6 late 3']);
    let text = '';
    for await (const chunk of await reader.download(run.batchRunId, { format: 'txt' })) text += chunk;
    expect(text.match(/ INFO (early|late) \d/g)).toHaveLength(6);
    await expect(reader.download('no-such-run')).rejects.toThrow(/404/);
  });

  it('follow() resumes after its connection is cut mid-run: by Last-Event-ID, every entry once, in order, ending at the finish', async () => {
    const proxy = await tcpProxy(Number(new URL(t.baseUrl).port));
    try {
      const producer = new RunlogClient({ baseUrl: t.baseUrl, token: service, run: { flushIntervalMs: 10 } });
      const reader = new RunlogClient({ baseUrl: proxy.url, token: admin });
      const run = await producer.startRun();
      const seen: string[] = [];
      let cutAt = 0;
      const following = (async () => {
        for await (const entry of reader.follow(run.batchRunId)) {
          seen.push(`${entry.seq} ${entry.message}`);
          if (seen.length === 10) {
            cutAt = Date.now();
            proxy.cut(); // the stream is cut while the run goes on; lines keep being committed meanwhile
          }
        }
      })();
      for (let i = 1; i <= 60; i += 1) {
        run.log('info', `live ${i}`);
        await run.flush();
        await new Promise((r) => setTimeout(r, 25));
      }
      await run.finish('completed');
      await following;
      expect(cutAt).toBeGreaterThan(0);
      expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => `${i + 1} live ${i + 1}`));
      // Two requests for the stream: the first without Last-Event-ID, the one after the cut resuming with it.
      const streams = proxy.heads.filter((head) => /^GET \S+\/events/.test(head));
      expect(streams).toHaveLength(2);
      expect(streams[0]).not.toMatch(/last-event-id/i);
      expect(streams[1]).toMatch(/^last-event-id: \d+$/im);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('a start whose answer was lost after runlog stored it is retried and ends as success, with the same run id', async () => {
    // A proxy that forwards the first start to runlog, waits for its answer (201) and drops it, cutting the connection.
    const http = await import('http');
    const starts: Array<{ id: string; status: number; delivered: boolean }> = [];
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${t.baseUrl}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body });
        const payload = Buffer.from(await answer.arrayBuffer());
        if (req.method === 'POST' && req.url === '/api/v1/batch/runs') {
          const delivered = starts.length > 0;
          starts.push({ id: JSON.parse(String(body)).batch_run_id, status: answer.status, delivered });
          if (!delivered) {
            req.socket.destroy(); // committed, but the producer never hears of it
            return;
          }
        }
        res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' }).end(payload);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new RunlogClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`, token: service, minBackoffMs: 10 });
      const run = await client.startRun({ phases: ['only'] });
      expect(starts).toEqual([
        { id: run.batchRunId, status: 201, delivered: false },
        { id: run.batchRunId, status: 409, delivered: true }, // run_exists: the start of this very run, already taken
      ]);
      run.log('info', 'after a lost answer', { phase: 'only' });
      await run.finish('completed');
      expect((await entriesOf(t.baseUrl, admin, run.batchRunId)).map((e) => `${e.seq} ${e.message}`)).toEqual(['1 after a lost answer']);
      expect((await runOf(t.baseUrl, admin, run.batchRunId)).status).toBe('completed');
      const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_events WHERE stream_id = $1 AND type = 'BatchRunStarted'`, [run.batchRunId]);
      expect(rows[0].n).toBe(1);
      // A 409 on the first attempt is someone else's run: an error, not success.
      const other = new RunlogClient({ baseUrl: t.baseUrl, token: service });
      await expect(other.startRun({ batchRunId: run.batchRunId })).rejects.toThrow(/409 run_exists/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('429 and 503 are retried after the Retry-After they carry, with the same seqs: every line stored once', async () => {
    // A proxy in front of runlog that refuses the first two appends (429, then 503), each with Retry-After: 1.
    const http = await import('http');
    const refusals: Array<{ status: number; at: number }> = [];
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.url?.endsWith('/logs') && refusals.length < 2) {
          const status = refusals.length === 0 ? 429 : 503;
          refusals.push({ status, at: Date.now() });
          res.writeHead(status, { 'Retry-After': '1', 'Content-Type': 'application/json' }).end(JSON.stringify({ statusCode: status, message: 'later' }));
          return;
        }
        const answer = await fetch(`${t.baseUrl}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
        res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new RunlogClient({ baseUrl: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`, token: service, minBackoffMs: 10 });
      const run = await client.startRun();
      for (let i = 1; i <= 10; i += 1) run.log('info', `retried ${i}`);
      await run.finish('completed');
      expect(refusals.map((r) => r.status)).toEqual([429, 503]);
      const entries = await entriesOf(t.baseUrl, admin, run.batchRunId);
      expect(entries.map((e) => `${e.seq} ${e.message}`)).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1} retried ${i + 1}`));
      expect(refusals[1].at - refusals[0].at).toBeGreaterThanOrEqual(950); // waited as told, not the 10 ms backoff
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('BufferFullError once maxBufferedLines wait: the line is refused, the ones taken are all stored', async () => {
    const client = new RunlogClient({ baseUrl: t.baseUrl, token: service, run: { maxBufferedLines: 3, flushIntervalMs: 60_000 } });
    const run = await client.startRun();
    run.log('info', 'one');
    run.log('info', 'two');
    run.log('info', 'three');
    expect(() => run.log('info', 'four')).toThrow(BufferFullError);
    await run.finish('completed');
    expect((await entriesOf(t.baseUrl, admin, run.batchRunId)).map((e) => e.message)).toEqual(['one', 'two', 'three']);
  });
});

describe('Node client through a kill -9 of runlog', () => {
  const SECRET = 'node-client-kill-test-secret-0123456789abcdef';
  let dataDir: string;
  let svc: ServiceProcess | undefined;

  beforeAll(async () => {
    await buildService();
    dataDir = mkdtempSync(path.join(tmpdir(), 'runlog-client-kill-'));
  }, 180_000);
  afterAll(async () => {
    await svc?.kill9().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('3,000 lines logged across a kill -9 of the whole runlog process group and a restart arrive exactly once, in order; the run finishes completed', async () => {
    const port = await findFreePort();
    const env = { PORT: String(port), RUN_LEASE_SECONDS: '3600' };
    svc = await startService({ dataDir, jwtSecret: SECRET, env });
    const token = await signToken(SECRET, { sub: 'client-producer', role: 'service', ttl: '1h' });
    const admin = await signToken(SECRET, { sub: 'client-admin', role: 'admin', ttl: '1h' });
    const client = new RunlogClient({ baseUrl: svc.baseUrl, token, minBackoffMs: 50, maxBackoffMs: 500, run: { flushIntervalMs: 20 } });
    const run = await client.startRun({ phases: ['before', 'after'] });

    let killed = false;
    for (let i = 1; i <= 3000; i += 1) {
      run.log('info', `line ${i}`, { phase: i <= 1500 ? 'before' : 'after' });
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5)); // a producer that works between lines
      if (i === 1000) {
        await svc.kill9(); // power cut: service and its PostgreSQL at once, lines in flight and buffered
        killed = true;
      }
      if (i === 1200) svc = await startService({ dataDir, jwtSecret: SECRET, env }); // back on the same port
      if (i === 1500) await run.completePhase('before');
    }
    await run.finish('completed');
    expect(killed).toBe(true);

    const entries = await entriesOf(svc.baseUrl, admin, run.batchRunId);
    expect(entries.map((e) => e.message)).toEqual(Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`));
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect((await runOf(svc.baseUrl, admin, run.batchRunId)).status).toBe('completed');
    expect(await svc.stop()).toBe(0);
    svc = undefined;
  }, 180_000);
});
