/**
 * Clients that stop reading: live event streams (SSE) and log downloads whose client sends the
 * request and then reads nothing more. None of them may grow the server's memory without bound,
 * hold a connection of the database pool, or slow the service for anyone else; each is bounded in
 * number per principal, and closed once it has made no progress for HTTP_IDLE_TIMEOUT_SECONDS.
 */
import { randomUUID } from 'crypto';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { StreamSlots } from '../../src/http/stream-slots';
import { EventStore } from '../../src/batch-runs/persistence/event-store';
import { PG_READ_POOL } from '../../src/database/pg-pool';
import { bearer, eventually } from '../api/api-helpers';
import { sampleRss, StalledClient, stalledGet } from '../support/stalled-client';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import type { Pool } from 'pg';

const MIB = 1024 * 1024;

async function timed<T>(what: string, work: () => Promise<T>): Promise<{ what: string; ms: number; value: T }> {
  const started = Date.now();
  const value = await work();
  return { what, ms: Date.now() - started, value };
}

/** Writes a run of `entries` entries in batches of 1000 through the command bus. */
async function writeRun(t: TestApp, id: string, entries: number, message: (seq: number) => string, owner?: { portfolioId: string; ownerId: string }) {
  await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id, ...owner }));
  for (let first = 1; first <= entries; first += 1000) {
    const batch = Array.from({ length: Math.min(1000, entries - first + 1) }, (_, i) => ({ level: 'info', message: message(first + i), seq: first + i }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: batch }));
  }
}

function closeAll(clients: StalledClient[]): void {
  for (const c of clients) c.destroy();
}

describe('stalled SSE clients', () => {
  const ENTRIES = 100_000;
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A writer instance writes the run; the instance under test serves it (no cache involved).
    const writer = await startTestApp({ db, env: { MAX_ENTRIES_PER_RUN: '200000', RUN_LEASE_SECONDS: '3600' } });
    try {
      await writeRun(writer, 'sse-big', ENTRIES, (seq) => `entry ${seq} ${'x'.repeat(120)}`);
      await writer.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'sse-big', status: 'completed' }));
    } finally {
      await writer.close();
    }
    t = await startTestApp({
      db,
      listen: true,
      env: { MAX_ENTRIES_PER_RUN: '200000', RUN_LEASE_SECONDS: '3600', HTTP_IDLE_TIMEOUT_SECONDS: '4', SSE_HEARTBEAT_SECONDS: '1', SSE_MAX_PER_PRINCIPAL: '3', SSE_MAX_CONNECTIONS: '45' },
    });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('40 clients that never read a 100,000-entry run: RSS growth stays under 256 MiB, /health answers, no database connection is held', async () => {
    const path = '/api/v1/admin/batch/history/sse-big/events';
    const rss = sampleRss();
    const clients: StalledClient[] = [];
    try {
      // 40 principals (3 streams each at most), so the per-principal bound is not what protects the server here.
      for (let i = 0; i < 40; i += 1) clients.push(await stalledGet(t.baseUrl, path, { Authorization: await bearer('admin', `watcher-${i}`) }));
      expect(clients.map((c) => c.status)).toEqual(Array(40).fill(200));
      const start = Date.now();
      while (Date.now() - start < 2500) {
        const health = await timed('health', () => fetch(`${t.baseUrl}/health`));
        expect(health.value.status).toBe(200);
        expect(health.ms).toBeLessThan(2000);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(t.app.get(StreamSlots).limiters.events.active).toBe(40);
      // The streams read a bounded page at a time, as their sockets drain, from the read pool: the write path's pool is left alone.
      await eventually(async () => (t.pool.totalCount - t.pool.idleCount === 0 ? true : undefined), 5000, 'the write pool to be idle');
      expect(t.app.get<Pool>(PG_READ_POOL).options.max).toBe(4);
      const growth = rss.stop();
      if (process.env.RUNLOG_TEST_VERBOSE) process.stdout.write(`40 stalled SSE clients: peak RSS growth ${(growth / MIB).toFixed(1)} MiB\n`);
      expect(growth).toBeLessThan(256 * MIB);
      // The clients leave: every slot is given back.
      closeAll(clients);
      await eventually(async () => (t.app.get(StreamSlots).limiters.events.active === 0 ? true : undefined), 10_000, 'the slots to be freed');
    } finally {
      rss.stop();
      closeAll(clients);
    }
  }, 90_000);

  it('a paused live follower holds back its stream while appends go on, and resumes exactly once by Last-Event-ID', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'sse-live' }));
    const auth = await bearer('admin', 'live-watcher');
    const paused = await stalledGet(t.baseUrl, '/api/v1/admin/batch/history/sse-live/events', { Authorization: auth });
    expect(paused.status).toBe(200);
    const rss = sampleRss();
    for (let first = 1; first <= 30_000; first += 1000) {
      const entries = Array.from({ length: 1000 }, (_, i) => ({ level: 'info', message: `live ${first + i} ${'y'.repeat(200)}`, seq: first + i }));
      await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'sse-live', entries }));
    }
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'sse-live', status: 'completed' }));
    const growth = rss.stop();
    expect(growth).toBeLessThan(128 * MIB);
    paused.destroy();
    // The follower that resumes (a real client reading) gets every event after the one it names, once.
    const res = await fetch(`${t.baseUrl}/api/v1/admin/batch/history/sse-live/events`, { headers: { Authorization: auth, 'Last-Event-ID': '10' } });
    const ids = [...(await res.text()).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: 22 }, (_, i) => i + 11)); // events 11..32: 30 appends, start and finish
    // After the finished run's last event there is nothing more: 204, so an EventSource stops reconnecting.
    const done = await fetch(`${t.baseUrl}/api/v1/admin/batch/history/sse-live/events`, { headers: { Authorization: auth, 'Last-Event-ID': '32' } });
    expect(done.status).toBe(204);
  }, 90_000);

  it('bounds live streams per principal (429) and in all (503), both with Retry-After, and frees a slot when its client leaves', async () => {
    const path = '/api/v1/admin/batch/history/sse-big/events';
    const auth = { Authorization: await bearer('admin', 'greedy') };
    const held: StalledClient[] = [];
    try {
      for (let i = 0; i < 3; i += 1) held.push(await stalledGet(t.baseUrl, path, auth));
      expect(held.map((c) => c.status)).toEqual([200, 200, 200]);
      const fourth = await fetch(`${t.baseUrl}${path}`, { headers: auth });
      expect(fourth.status).toBe(429);
      expect(fourth.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await fourth.json()).message).toMatch(/at most 3 at once per principal/);
      // Others fill the server up to SSE_MAX_CONNECTIONS (45): the next one, of anyone, is a 503.
      for (let i = 0; held.length < 45; i += 1) {
        const c = await stalledGet(t.baseUrl, path, { Authorization: await bearer('admin', `filler-${i}`) });
        expect(c.status).toBe(200);
        held.push(c);
      }
      const full = await fetch(`${t.baseUrl}${path}`, { headers: { Authorization: await bearer('admin', 'latecomer') } });
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toMatch(/^\d+$/);
      held.shift()!.destroy();
      await eventually(async () => (t.app.get(StreamSlots).limiters.events.active === 44 ? true : undefined), 5000, 'the slot to be freed');
      const again = await stalledGet(t.baseUrl, path, { Authorization: await bearer('admin', 'latecomer') });
      expect(again.status).toBe(200);
      held.push(again);
    } finally {
      closeAll(held);
    }
    await eventually(async () => (t.app.get(StreamSlots).limiters.events.active === 0 ? true : undefined), 10_000, 'every slot to be freed');
  }, 60_000);
});

describe('stalled downloads', () => {
  const ENTRIES = 50_000;
  const PORTFOLIO = randomUUID();
  const OWNER = 'owner-stalling';
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const writer = await startTestApp({ db, env: { RUN_LEASE_SECONDS: '3600' } });
    try {
      // About 33 MB as TXT: far more than the kernel's socket buffers, so a client that does not read really stalls.
      await writeRun(writer, 'dl-big', ENTRIES, (seq) => `entry ${seq} ${'z'.repeat(600)}`, { portfolioId: PORTFOLIO, ownerId: OWNER });
    } finally {
      await writer.close();
    }
    // The instance under test never wrote the run: every download is served from the database.
    t = await startTestApp({ db, listen: true, env: { RUN_LEASE_SECONDS: '3600', DOWNLOADS_MAX_PER_PRINCIPAL: '12', HTTP_IDLE_TIMEOUT_SECONDS: '5' } });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const ownerLogs = `/api/v1/onboarding/status/${PORTFOLIO}/logs?batch_run_id=dl-big&format=txt`;

  it('12 stalled database downloads by one user hold no database connection: a start, an append, /health and an admin listing each answer within 2 s', async () => {
    const user = await bearer('user', OWNER);
    const clients: StalledClient[] = [];
    try {
      for (let i = 0; i < 12; i += 1) clients.push(await stalledGet(t.baseUrl, ownerLogs, { Authorization: user }));
      expect(clients.map((c) => c.status)).toEqual(Array(12).fill(200));
      await new Promise((r) => setTimeout(r, 2500)); // long enough for the old code to have exhausted the pool
      // Each stalled download waits for its client, not for the database: no connection is checked out for them.
      for (const pool of [t.pool, t.app.get<Pool>(PG_READ_POOL)]) expect(pool.totalCount - pool.idleCount).toBe(0);

      const service = await bearer('service');
      const admin = await bearer('admin');
      const id = `meanwhile-${Date.now()}`;
      const checks = [
        await timed('start', () => fetch(`${t.baseUrl}/api/v1/batch/runs`, { method: 'POST', headers: { Authorization: service, 'Content-Type': 'application/json' }, body: JSON.stringify({ batch_run_id: id }) })),
        await timed('append', () =>
          fetch(`${t.baseUrl}/api/v1/batch/runs/${id}/logs`, { method: 'POST', headers: { Authorization: service, 'Content-Type': 'application/json' }, body: JSON.stringify({ entries: [{ level: 'info', message: 'still served' }] }) }),
        ),
        await timed('health', () => fetch(`${t.baseUrl}/health`)),
        await timed('listing', () => fetch(`${t.baseUrl}/api/v1/admin/batch/history`, { headers: { Authorization: admin } })),
      ];
      if (process.env.RUNLOG_TEST_VERBOSE) process.stdout.write(`with 12 stalled downloads: ${checks.map((c) => `${c.what} ${c.value.status} in ${c.ms} ms`).join(', ')}\n`);
      expect(checks.map((c) => [c.what, c.value.status])).toEqual([['start', 201], ['append', 201], ['health', 200], ['listing', 200]]);
      for (const c of checks) expect(c.ms).toBeLessThan(2000);
    } finally {
      closeAll(clients);
    }
    await eventually(async () => (t.app.get(StreamSlots).limiters.downloads.active === 0 ? true : undefined), 10_000, 'the download slots to be freed');
  }, 60_000);

  it('a stalled download is closed after HTTP_IDLE_TIMEOUT_SECONDS; a reading client gets the whole log meanwhile', async () => {
    const user = await bearer('user', OWNER);
    const stalled = await stalledGet(t.baseUrl, ownerLogs, { Authorization: user });
    expect(stalled.status).toBe(200);
    const whole = await fetch(`${t.baseUrl}${ownerLogs}`, { headers: { Authorization: user } });
    const text = await whole.text();
    expect(text.split('\n').filter((line) => / INFO entry \d+ /.test(line))).toHaveLength(ENTRIES);
    await eventually(async () => (t.app.get(StreamSlots).limiters.downloads.active === 0 ? true : undefined), 15_000, 'the stalled download to be closed');
    const got = await stalled.drain(10_000);
    expect(got.closedBy).not.toBe('timeout');
    expect(got.bytes).toBeLessThan(text.length / 2);
  }, 60_000);

  it('bounds the downloads one principal has in flight (429 with Retry-After); another principal is not affected', async () => {
    const strict = await startTestApp({ db, listen: true, env: { RUN_LEASE_SECONDS: '3600', DOWNLOADS_MAX_PER_PRINCIPAL: '4' } });
    const user = await bearer('user', OWNER);
    const clients: StalledClient[] = [];
    try {
      for (let i = 0; i < 4; i += 1) clients.push(await stalledGet(strict.baseUrl, ownerLogs, { Authorization: user }));
      expect(clients.map((c) => c.status)).toEqual([200, 200, 200, 200]);
      const fifth = await fetch(`${strict.baseUrl}${ownerLogs}`, { headers: { Authorization: user } });
      expect(fifth.status).toBe(429);
      expect(fifth.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await fifth.json()).message).toMatch(/at most 4 at once per principal/);
      const admin = await fetch(`${strict.baseUrl}/api/v1/admin/batch/history/dl-big/logs?format=ndjson&limit=10`, { headers: { Authorization: await bearer('admin') } });
      expect(admin.status).toBe(200);
      expect((await admin.text()).trim().split('\n')).toHaveLength(10);
    } finally {
      closeAll(clients);
      await strict.close();
    }
  }, 60_000);
});

describe('timeline of a 20,000-event run', () => {
  const EVENTS = 20_000;
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { RUN_LEASE_SECONDS: '3600', HTTP_IDLE_TIMEOUT_SECONDS: '3' } });
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'long-timeline', phases: ['only'] }));
    // One line per append, as a chatty producer sends them: every append is an event of its own.
    for (let first = 1; first < EVENTS; first += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, EVENTS - first) }, (_, i) =>
          t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'long-timeline', entries: [{ level: i % 50 ? 'info' : 'warning', message: `line ${first + i}`, phase: 'only', seq: first + i }] })),
        ),
      );
    }
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'long-timeline', status: 'completed' }));
  }, 180_000);
  afterAll(async () => t?.close());

  const url = () => `${t.baseUrl}/api/v1/admin/batch/history/long-timeline/timeline`;

  it('is one complete document, streamed: every event, the summary after them', async () => {
    const res = await fetch(url(), { headers: { Authorization: await bearer('admin') } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-length')).toBeNull(); // streamed, not built first
    const body = await res.json();
    expect(body.events).toHaveLength(EVENTS + 1);
    expect(body.events.map((e: { version: number }) => e.version)).toEqual(Array.from({ length: EVENTS + 1 }, (_, i) => i + 1));
    expect(body).toMatchObject({ batch_run_id: 'long-timeline', status: 'completed', entry_count: EVENTS - 1 });
    expect(body.phases[0]).toMatchObject({ name: 'only', entry_count: EVENTS - 1, warning_count: Math.ceil((EVENTS - 1) / 50) });
  }, 60_000);

  it('is sent while it is read: the first bytes leave after one page of events, not after all 20,001 (a few pages at most)', async () => {
    const store = t.app.get(EventStore);
    const readPage = store.readPage.bind(store);
    let pagesRead = 0;
    store.readPage = async (...args: Parameters<EventStore['readPage']>) => {
      pagesRead += 1;
      return readPage(...args);
    };
    try {
      const res = await fetch(url(), { headers: { Authorization: await bearer('admin') } });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      const atFirstByte = pagesRead;
      let bytes = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
      if (process.env.RUNLOG_TEST_VERBOSE) process.stdout.write(`timeline ${(bytes / MIB).toFixed(1)} MiB: ${atFirstByte} of ${pagesRead} pages read at the first byte\n`);
      expect(atFirstByte).toBeLessThan(pagesRead / 4); // the old code had read every page first
      expect(pagesRead).toBeGreaterThan(20); // 20,001 events in pages of at most 500
    } finally {
      store.readPage = readPage;
    }
  }, 60_000);
});
