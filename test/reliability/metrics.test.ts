/**
 * What an operator sees: GET /metrics (Prometheus text format) and the liveness and readiness probes.
 * The stalled clients of stalled-clients.test.ts must show up in the metrics while they are open, and
 * leave them when they close; readiness must say 503 when the database or the write pool cannot take
 * a write. Real PostgreSQL, real HTTP, two instances on one database (the one under test serves logs
 * it did not write, from the database).
 */
import { Client, PoolClient } from 'pg';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { loadConfig } from '../../src/config/app.config';
import { bearer, eventually } from '../api/api-helpers';
import { StalledClient, stalledGet } from '../support/stalled-client';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const METRICS_TOKEN = 'scraper-secret-0123456789abcdef';
const BIG_ENTRIES = 20_000;
const DOWNLOAD_ROUTE = '/api/v1/admin/batch/history/:batchRunId/logs';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text exposition format, as far as a test needs it: `name{label="value",...} number` per line, comments skipped. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

class Scrape {
  constructor(readonly samples: Sample[]) {}

  /** The value of the one series of `name` whose labels include `labels`; throws if there is not exactly one. */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.series(name, labels);
    if (found.length !== 1) throw new Error(`${found.length} series of ${name} ${JSON.stringify(labels)}`);
    return found[0].value;
  }

  series(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  }

  sum(name: string, labels: Record<string, string> = {}): number {
    return this.series(name, labels).reduce((n, s) => n + s.value, 0);
  }
}

async function scrape(t: TestApp, authorization = `Bearer ${METRICS_TOKEN}`): Promise<Scrape> {
  const res = await fetch(`${t.baseUrl}/metrics`, { headers: { Authorization: authorization } });
  expect(res.status).toBe(200);
  return new Scrape(parseExposition(await res.text()));
}

function closeAll(clients: StalledClient[]): void {
  for (const c of clients) c.destroy();
}

describe('metrics', () => {
  let db: TestDatabase;
  let writer: TestApp;
  let t: TestApp;
  let appended = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { METRICS_TOKEN, RUN_LEASE_SECONDS: '3600', DOWNLOADS_MAX_PER_PRINCIPAL: '8', HTTP_IDLE_TIMEOUT_SECONDS: '30' };
    writer = await startTestApp({ db, listen: true, env });
    // About 12 MB as TXT, 20 events of about 650 KB: far more than the kernel's socket buffers take.
    await writer.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'metrics-big' }));
    for (let first = 1; first <= BIG_ENTRIES; first += 1000) {
      const entries = Array.from({ length: 1000 }, (_, i) => ({ level: 'info', message: `entry ${first + i} ${'m'.repeat(600)}`, seq: first + i }));
      await writer.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'metrics-big', entries }));
    }
    appended = BIG_ENTRIES;
    // The instance under test never wrote the run: its downloads and event streams read it from the database.
    t = await startTestApp({ db, listen: true, env });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await writer?.close();
    await db?.drop();
  });

  it('GET /metrics: 401 without a token or with a bad one, 403 for a user token, 200 for an admin token and for METRICS_TOKEN', async () => {
    const get = (authorization?: string) => fetch(`${t.baseUrl}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
    const none = await get();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    for (const bad of ['Bearer not-a-token', `Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(0, -1)}`, `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN} extra`]) {
      expect([bad, (await get(bad)).status]).toEqual([bad, 401]);
    }
    const user = await get(await bearer('user'));
    expect(user.status).toBe(403);
    expect((await user.json()).message).toMatch(/requires role admin/);
    expect((await get(await bearer('service'))).status).toBe(403);

    for (const authorization of [await bearer('admin'), `Bearer ${METRICS_TOKEN}`]) {
      const res = await get(authorization);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const body = await res.text();
      expect(body).toMatch(/^# HELP runlog_log_entries_acknowledged_total /m);
      expect(body).toMatch(/^# TYPE runlog_group_commit_duration_seconds histogram$/m);
      parseExposition(body); // every line is well-formed
    }
    // Without METRICS_TOKEN configured, the static secret is just an invalid token.
    const plain = await startTestApp({ db, listen: true, env: { RUN_LEASE_SECONDS: '3600' } });
    try {
      expect((await fetch(`${plain.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(401);
      expect((await fetch(`${plain.baseUrl}/metrics`, { headers: { Authorization: await bearer('admin') } })).status).toBe(200);
    } finally {
      await plain.close();
    }
  }, 60_000);

  it('METRICS_TOKEN: unset is none; shorter than 16 characters, or with whitespace, stops the start naming it', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: '  ' }).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN }).metricsToken).toBe(METRICS_TOKEN);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/^METRICS_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'sixteen chars or more' })).toThrow(/METRICS_TOKEN/);
  });

  it('counts what was acknowledged, group sizes and durations, groups per lane; reports queues, pools, cache and the process', async () => {
    // 30 HTTP appends in parallel on 3 runs: they share groups.
    const service = await bearer('service');
    const post = (path: string, body: unknown) =>
      fetch(`${writer.baseUrl}${path}`, { method: 'POST', headers: { Authorization: service, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    for (const id of ['m-1', 'm-2', 'm-3']) expect((await post('/api/v1/batch/runs', { batch_run_id: id })).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(`/api/v1/batch/runs/m-${(i % 3) + 1}/logs`, { entries: Array.from({ length: 5 }, (_, k) => ({ level: 'info', message: `line ${i}.${k}` })) })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
    appended += 150;

    const m = await scrape(writer);
    expect(m.value('runlog_log_entries_acknowledged_total')).toBe(appended);
    expect(m.value('runlog_log_entries_dropped_total')).toBe(0);
    const groups = m.value('runlog_group_commit_entries_count');
    expect(groups).toBeGreaterThan(0);
    expect(m.value('runlog_group_commit_entries_sum')).toBe(appended);
    expect(m.value('runlog_group_commit_commands_count')).toBe(groups);
    expect(m.value('runlog_group_commit_commands_sum')).toBe(20 + 1 + 3 + 30); // the big run's start and appends, 3 starts, 30 appends
    expect(m.value('runlog_group_commit_duration_seconds_count')).toBe(groups);
    expect(m.value('runlog_group_commit_duration_seconds_sum')).toBeGreaterThan(0);
    expect(m.value('runlog_group_commit_entries_bucket', { le: '+Inf' })).toBe(groups);
    // One series per lane (GROUP_COMMIT_LANES=2), the groups of both lanes adding up.
    expect(m.series('runlog_group_commits_total').map((s) => s.labels.lane).sort()).toEqual(['0', '1']);
    expect(m.sum('runlog_group_commits_total')).toBe(groups);
    expect(m.series('runlog_group_commit_queue_depth').map((s) => [s.labels.lane, s.value])).toEqual([['0', 0], ['1', 0]]);
    for (const pool of ['write', 'read']) {
      expect(m.value('runlog_db_pool_waiting_clients', { pool })).toBe(0);
      expect(m.value('runlog_db_pool_connections_in_use', { pool })).toBeGreaterThanOrEqual(0);
      expect(m.value('runlog_db_pool_connections', { pool })).toBe(m.value('runlog_db_pool_connections_idle', { pool }) + m.value('runlog_db_pool_connections_in_use', { pool }));
    }
    expect(m.value('runlog_db_pool_max_connections', { pool: 'write' })).toBe(10);
    expect(m.value('runlog_db_pool_max_connections', { pool: 'read' })).toBe(writer.config.readPoolMax);
    // The writer caches what it wrote: the estimate is the tracker's, next to the heap it lives in.
    expect(m.value('runlog_log_cache_runs')).toBe(4);
    expect(m.value('runlog_log_cache_estimated_bytes')).toBe(writer.tracker.bytes);
    expect(m.value('runlog_log_cache_estimated_bytes')).toBeGreaterThan(BIG_ENTRIES * 600);
    expect(m.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.series('nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect(m.value('runlog_spool_bytes')).toBe(0);
    expect(m.sum('runlog_lease_sweeps_total', { outcome: 'swept' })).toBeGreaterThanOrEqual(1); // the one at start
    expect(m.value('runlog_lease_runs_interrupted_total')).toBe(0);
    // The instance that wrote nothing counts nothing.
    expect((await scrape(t)).value('runlog_log_entries_acknowledged_total')).toBe(0);
  }, 60_000);

  it('N stalled SSE clients show as N connections with bytes buffered, and leave the gauge at 0 when they close', async () => {
    const N = 5;
    const clients: StalledClient[] = [];
    try {
      for (let i = 0; i < N; i += 1) clients.push(await stalledGet(t.baseUrl, '/api/v1/admin/batch/history/metrics-big/events', { Authorization: await bearer('admin', `sse-${i}`) }));
      expect(clients.map((c) => c.status)).toEqual(Array(N).fill(200));
      // Once the kernel's buffers are full, bytes wait in Node's; and the streams, stalled, hold no connection of either pool.
      const m = await eventually(async () => {
        const s = await scrape(t);
        const idle = ['write', 'read'].every((pool) => s.value('runlog_db_pool_connections_in_use', { pool }) === 0);
        return s.value('runlog_sse_buffered_bytes') > 0 && idle ? s : undefined;
      }, 15_000, 'bytes buffered for the stalled streams, and the pools idle');
      expect(m.value('runlog_sse_connections')).toBe(N);
      if (process.env.RUNLOG_TEST_VERBOSE) process.stdout.write(`${N} stalled SSE clients: runlog_sse_buffered_bytes ${m.value('runlog_sse_buffered_bytes')}\n`);
    } finally {
      closeAll(clients);
    }
    const after = await eventually(async () => {
      const s = await scrape(t);
      return s.value('runlog_sse_connections') === 0 ? s : undefined;
    }, 10_000, 'the SSE gauge to return to 0');
    expect(after.value('runlog_sse_buffered_bytes')).toBe(0);
  }, 60_000);

  it('M stalled downloads show as M in flight, and leave the gauge at 0 when they close', async () => {
    const M = 4;
    const clients: StalledClient[] = [];
    try {
      for (let i = 0; i < M; i += 1) clients.push(await stalledGet(t.baseUrl, '/api/v1/admin/batch/history/metrics-big/logs?format=txt', { Authorization: await bearer('admin', `dl-${i}`) }));
      expect(clients.map((c) => c.status)).toEqual(Array(M).fill(200));
      const m = await eventually(async () => {
        const s = await scrape(t);
        return s.value('runlog_download_buffered_bytes') > 0 ? s : undefined;
      }, 15_000, 'bytes buffered for the stalled downloads');
      expect(m.value('runlog_downloads_in_flight')).toBe(M);
      if (process.env.RUNLOG_TEST_VERBOSE) process.stdout.write(`${M} stalled downloads: runlog_download_buffered_bytes ${m.value('runlog_download_buffered_bytes')}\n`);
      await new Promise((r) => setTimeout(r, 1000)); // still there a second later: they are stalled, not slow
      expect((await scrape(t)).value('runlog_downloads_in_flight')).toBe(M);
    } finally {
      closeAll(clients);
    }
    const after = await eventually(async () => {
      const s = await scrape(t);
      return s.value('runlog_downloads_in_flight') === 0 ? s : undefined;
    }, 10_000, 'the downloads gauge to return to 0');
    expect(after.value('runlog_download_buffered_bytes')).toBe(0);
  }, 60_000);

  it('counts HTTP requests by route pattern and status: a whole download (200), one without a token (401), an unknown path', async () => {
    const before = await scrape(t);
    const ok = await fetch(`${t.baseUrl}/api/v1/admin/batch/history/metrics-big/logs?format=ndjson`, { headers: { Authorization: await bearer('admin') } });
    expect(ok.status).toBe(200);
    expect((await ok.text()).trim().split('\n')).toHaveLength(BIG_ENTRIES);
    expect((await fetch(`${t.baseUrl}/api/v1/admin/batch/history/metrics-big/logs`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/no/such/path/${Date.now()}`)).status).toBe(404);

    const m = await eventually(async () => {
      const s = await scrape(t);
      return s.sum('runlog_http_requests_total', { route: DOWNLOAD_ROUTE, status: '200' }) > before.sum('runlog_http_requests_total', { route: DOWNLOAD_ROUTE, status: '200' }) ? s : undefined;
    }, 10_000, 'the finished download to be counted');
    const delta = (labels: Record<string, string>) => m.sum('runlog_http_requests_total', labels) - before.sum('runlog_http_requests_total', labels);
    expect(delta({ method: 'GET', route: DOWNLOAD_ROUTE, status: '200' })).toBe(1);
    expect(delta({ method: 'GET', route: DOWNLOAD_ROUTE, status: '401' })).toBe(1);
    expect(delta({ route: '(unmatched)', status: '404' })).toBe(1);
    expect(m.value('runlog_http_request_duration_seconds_count', { method: 'GET', route: DOWNLOAD_ROUTE, status: '401' })).toBe(
      m.value('runlog_http_requests_total', { method: 'GET', route: DOWNLOAD_ROUTE, status: '401' }),
    );
    // The stalled clients of the tests before were counted too, when they closed; the scrape itself is a route.
    expect(m.series('runlog_http_requests_total', { route: '/api/v1/admin/batch/history/:batchRunId/events', status: '200' }).length).toBe(1);
    expect(m.series('runlog_http_requests_total', { route: '/metrics', status: '200' }).length).toBe(1);
    // The raw URL is never a label: no series names the run.
    expect(m.samples.filter((s) => Object.values(s.labels).some((v) => v.includes('metrics-big') || v.includes('/no/such')))).toEqual([]);
  }, 60_000);
});

describe('health probes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('/health/live and /health/ready answer 200 while all is well; /health is as it was', async () => {
    const live = await fetch(`${t.baseUrl}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${t.baseUrl}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', checks: { write_pool: 'ok', database: 'ok' } }]);
    const health = await fetch(`${t.baseUrl}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('/health/ready answers 503 with Retry-After while the write pool is exhausted; live still 200; ready again once it frees', async () => {
    const held: PoolClient[] = [];
    let waiter: Promise<PoolClient> | null = null;
    try {
      for (let i = 0; i < 10; i += 1) held.push(await t.pool.connect());
      waiter = t.pool.connect(); // an eleventh caller waits
      expect(t.pool.waitingCount).toBe(1);
      const ready = await fetch(`${t.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = await ready.json();
      expect(body.status).toBe('unavailable');
      expect(body.checks.write_pool).toMatch(/^exhausted: 10 of 10 connections in use, 1 waiting$/);
      expect((await fetch(`${t.baseUrl}/health/live`)).status).toBe(200);
    } finally {
      for (const c of held) c.release();
      if (waiter) (await waiter).release();
    }
    expect((await fetch(`${t.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('/health/ready answers 503 naming the database when it refuses connections; live still 200', async () => {
    const db = await createTestDatabase();
    const own = await startTestApp({ db, listen: true });
    const admin = new Client({ connectionString: process.env.RUNLOG_TEST_ADMIN_URL });
    await admin.connect();
    try {
      expect((await fetch(`${own.baseUrl}/health/ready`)).status).toBe(200);
      // The database goes away for this instance: no new connection is accepted, and the open ones are cut.
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(db.name)} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name]);
      const body = await eventually(async () => {
        const res = await fetch(`${own.baseUrl}/health/ready`);
        if (res.status !== 503) return undefined;
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        return res.json();
      }, 10_000, 'ready to answer 503');
      expect(body.status).toBe('unavailable');
      expect(body.checks.write_pool).toBe('ok');
      expect(body.checks.database).toMatch(/^SELECT 1 (failed|did not answer)/);
      expect(JSON.stringify(body)).not.toContain(db.name); // a public route names no database or host
      const live = await fetch(`${own.baseUrl}/health/live`);
      expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
      expect((await fetch(`${own.baseUrl}/health`)).status).toBe(503);
      // Back: ready again.
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(db.name)} WITH ALLOW_CONNECTIONS true`);
      await eventually(async () => ((await fetch(`${own.baseUrl}/health/ready`)).status === 200 ? true : undefined), 10_000, 'ready to answer 200 again');
    } finally {
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(db.name)} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await own.close();
    }
  }, 60_000);
});
