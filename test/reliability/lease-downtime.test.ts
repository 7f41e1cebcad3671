/**
 * Runlog's own downtime is not a producer's silence (issue #10 §4). Time when no runlog instance
 * was up to accept writes (every instance stopped, or the database unreachable) does not count
 * against a run's lease; a producer that really goes silent while runlog is up is still failed,
 * and one instance stopping does not shelter anyone while another stays up.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import request from 'supertest';
import { setTimeout as sleep } from 'timers/promises';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { LeaseSweeper } from '../../src/batch-runs/leases/lease-sweeper';
import { SQL } from '../../src/batch-runs/persistence/run.sql';
import { RunLeases } from '../../src/batch-runs/persistence/run-leases';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const LEASE_SECONDS = 3;
const ENV = { RUN_LEASE_SECONDS: String(LEASE_SECONDS) };
const INTERRUPTED = /^run interrupted: its writer \(.+\) stopped without finishing it; lease expired at (\S+) \(RUN_LEASE_SECONDS=\d+\); finished as failed by runlog (\S+)$/;

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** An HTTP producer: starts its run and appends lines with explicit seqs, as a retrying producer does. */
function producer(baseUrl: () => string, batchRunId: string) {
  const auth = tokenFor('service').then((token) => `Bearer ${token}`);
  return {
    async start(): Promise<void> {
      await request(baseUrl()).post('/api/v1/batch/runs').set('Authorization', await auth).send({ batch_run_id: batchRunId }).expect(201);
    },
    async append(seq: number): Promise<request.Response> {
      return request(baseUrl())
        .post(`/api/v1/batch/runs/${batchRunId}/logs`)
        .set('Authorization', await auth)
        .send({ entries: [{ level: 'info', message: `line ${seq}`, seq }] });
    },
  };
}

/** Seconds left on a run's lease, by the database's clock; null when it holds none. */
async function leaseLeft(t: TestApp, batchRunId: string): Promise<number | null> {
  const { rows } = await t.pool.query(`SELECT extract(epoch FROM expires_at - now())::float8 AS left FROM batch_run_leases WHERE batch_run_id = $1`, [
    batchRunId,
  ]);
  return rows[0]?.left ?? null;
}

/** Waits until the run is failed; returns its last entry and when the failure was seen (ms). */
async function failure(t: TestApp, batchRunId: string): Promise<{ message: string; seenAt: number; seqs: number[] }> {
  await waitFor(async () => (await t.reader.findRun(batchRunId))?.status === 'failed');
  const seenAt = Date.now();
  const log = (await t.reader.readAll(batchRunId))!;
  const last = log.entries[log.entries.length - 1];
  expect(last.level).toBe('error');
  return { message: last.message, seenAt, seqs: log.entries.map((e) => e.seq) };
}

describe('runlog downtime and leases', () => {
  jest.setTimeout(90_000);

  it('a run whose producer retries while every instance is down longer than a lease is still running afterwards, and failed only after a lease of silence while runlog is up', async () => {
    const db = await createTestDatabase();
    let a: TestApp | null = null;
    let b: TestApp | null = null;
    try {
      a = await startTestApp({ db, env: ENV, listen: true });
      let baseUrl = a.baseUrl;
      const p = producer(() => baseUrl, 'through-restart');
      await p.start();
      expect((await p.append(1)).status).toBe(201);
      const leftBefore = (await leaseLeft(a, 'through-restart'))!;
      await a.close(); // every instance is gone; the producer keeps retrying (and failing) meanwhile
      a = null;
      await sleep(2 * LEASE_SECONDS * 1000);

      b = await startTestApp({ db, env: ENV, listen: true });
      baseUrl = b.baseUrl;
      const leftAfter = await leaseLeft(b, 'through-restart');
      // The lease got back the time it had when runlog went down (within a beat interval and a query).
      expect(leftAfter).not.toBeNull();
      expect(Math.abs(leftAfter! - leftBefore)).toBeLessThan(0.75);
      const retried = await p.append(2);
      expect(retried.status).toBe(201);
      const acceptedAt = Date.now();
      expect((await b.reader.findRun('through-restart'))!.status).toBe('running');

      // Now the producer really goes silent while runlog is up: failed after one lease.
      const failed = await failure(b, 'through-restart');
      expect(failed.message).toMatch(INTERRUPTED);
      expect(failed.seqs).toEqual([1, 2, 3]);
      const afterMs = failed.seenAt - acceptedAt;
      expect(afterMs).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 300);
      expect(afterMs).toBeLessThan(LEASE_SECONDS * 1000 + 3000);
      // eslint-disable-next-line no-console
      console.log(`lease left before the stop ${leftBefore.toFixed(3)} s, after the restart ${leftAfter!.toFixed(3)} s; failed ${afterMs} ms after the last append`);
    } finally {
      await a?.close();
      await b?.close();
      await db.drop();
    }
  });

  it('a producer that goes silent while runlog is up is still failed once its lease expires', async () => {
    const t = await startTestApp({ env: ENV, listen: true });
    try {
      const p = producer(() => t.baseUrl, 'silent');
      await p.start();
      expect((await p.append(1)).status).toBe(201);
      const acceptedAt = Date.now();
      const failed = await failure(t, 'silent');
      expect(failed.message).toMatch(INTERRUPTED);
      expect(failed.seqs).toEqual([1, 2]);
      const afterMs = failed.seenAt - acceptedAt;
      expect(afterMs).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 300);
      expect(afterMs).toBeLessThan(LEASE_SECONDS * 1000 + 3000);
      expect((await p.append(2)).status).toBe(409);
    } finally {
      await t.close();
    }
  });

  it('with two instances, one stopping shelters no one: a silent run is failed by the other one lease after its last write, its lease never extended', async () => {
    const db = await createTestDatabase();
    let a: TestApp | null = null;
    let b: TestApp | null = null;
    try {
      a = await startTestApp({ db, env: ENV, listen: true });
      b = await startTestApp({ db, env: ENV, listen: true });
      const p = producer(() => a!.baseUrl, 'left-behind');
      await p.start();
      expect((await p.append(1)).status).toBe(201);
      const acceptedAt = Date.now();
      const { rows } = await a.pool.query(`SELECT expires_at FROM batch_run_leases WHERE batch_run_id = 'left-behind'`);
      const expiresAt: Date = rows[0].expires_at;
      await a.close();
      a = null;

      const failed = await failure(b, 'left-behind');
      const [, expiredAt, by] = INTERRUPTED.exec(failed.message)!;
      expect(new Date(expiredAt).getTime()).toBe(expiresAt.getTime()); // the lease A's append set, not shifted
      expect(by).toBe(b.app.get(RunLeases).instanceId);
      const afterMs = failed.seenAt - acceptedAt;
      expect(afterMs).toBeLessThan(LEASE_SECONDS * 1000 + 3000);
    } finally {
      await a?.close();
      await b?.close();
      await db.drop();
    }
  });

  it('at start, a lease gets back exactly the time it had left when runlog went down; one that had expired before stays expired and is swept', async () => {
    const db = await createTestDatabase();
    let b: TestApp | null = null;
    try {
      const a = await startTestApp({ db, env: ENV, listen: true });
      const p1 = producer(() => a.baseUrl, 'had-time-left');
      const p2 = producer(() => a.baseUrl, 'expired-before');
      await p1.start();
      await p2.start();
      await a.close();
      // As if runlog had gone down 20 s ago, one lease then having 2 s left, the other expired 1 s before.
      const client = new Client({ connectionString: db.url });
      await client.connect();
      let expiredBefore: Date;
      try {
        await client.query(`UPDATE runlog_liveness SET alive_at = now() - interval '20 seconds'`);
        await client.query(`UPDATE batch_run_leases SET expires_at = (SELECT alive_at FROM runlog_liveness) + interval '2 seconds' WHERE batch_run_id = 'had-time-left'`);
        const { rows } = await client.query(
          `UPDATE batch_run_leases SET expires_at = (SELECT alive_at FROM runlog_liveness) - interval '1 second' WHERE batch_run_id = 'expired-before' RETURNING expires_at`,
        );
        expiredBefore = rows[0].expires_at;
      } finally {
        await client.end();
      }

      b = await startTestApp({ db, env: ENV, listen: true });
      const left = (await leaseLeft(b, 'had-time-left'))!;
      expect(left).toBeGreaterThan(1.4);
      expect(left).toBeLessThanOrEqual(2.05);
      const startedAt = Date.now();

      const swept = await failure(b, 'expired-before');
      const [, expiredAt] = INTERRUPTED.exec(swept.message)!;
      expect(new Date(expiredAt).getTime()).toBe(expiredBefore.getTime()); // untouched by the credit
      expect((await b.reader.findRun('had-time-left'))!.status).toBe('running');

      const later = await failure(b, 'had-time-left'); // its 2 s run out while runlog is up
      expect(later.seenAt - startedAt).toBeGreaterThanOrEqual(left * 1000 - 300);
      // eslint-disable-next-line no-console
      console.log(`a lease with 2 s left at the downtime had ${left.toFixed(3)} s left after the start`);
    } finally {
      await b?.close();
      await db.drop();
    }
  });

  it('two instances beating at once after a downtime credit it once: the second beat waits for the first and finds no gap', async () => {
    const db = await createTestDatabase();
    const a = await startTestApp({ db, env: ENV });
    const first = new Client({ connectionString: db.url });
    const second = new Client({ connectionString: db.url });
    try {
      await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'once' }));
      await a.close();
      await first.connect();
      await second.connect();
      await first.query(`UPDATE runlog_liveness SET alive_at = now() - interval '20 seconds'`);
      await first.query(`UPDATE batch_run_leases SET expires_at = (SELECT alive_at FROM runlog_liveness) + interval '2 seconds'`);
      const beat = (c: Client) => c.query({ text: SQL.beatLiveness.text, values: [1, LEASE_SECONDS] });

      await first.query('BEGIN');
      const one = await beat(first); // credits the 20 s, holds the liveness row until COMMIT
      const two = beat(second); // a second instance beating meanwhile waits for the row
      await sleep(300);
      await first.query('COMMIT');
      const { rows } = await two;
      expect(one.rows[0]).toMatchObject({ down: true, shifted: 1 });
      expect(rows[0]).toMatchObject({ down: false, shifted: 0 });
      const left = await first.query(`SELECT extract(epoch FROM expires_at - now())::float8 AS left FROM batch_run_leases`);
      expect(left.rows[0].left).toBeGreaterThan(1.4);
      expect(left.rows[0].left).toBeLessThanOrEqual(2.05); // credited once; twice would be a full lease (3 s)
    } finally {
      await first.end().catch(() => undefined);
      await second.end().catch(() => undefined);
      await a.close();
      await db.drop();
    }
  });

  describe('database outage', () => {
    let dir: string;
    let pg: EmbeddedDatabase;
    let t: TestApp | null = null;
    const asTestDatabase = (server: EmbeddedDatabase): TestDatabase => ({ url: server.url, name: 'runlog_test_lease_outage', drop: async () => undefined });

    beforeEach(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'runlog-lease-outage-'));
      pg = await startEmbeddedPostgres({ dataDir: dir, database: 'runlog_test_lease_outage' });
    });
    afterEach(async () => {
      await t?.close();
      t = null;
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('time the database was unreachable does not count against a lease either: after a 2-lease outage the producer is accepted', async () => {
      t = await startTestApp({ db: asTestDatabase(pg), env: ENV, listen: true });
      const p = producer(() => t!.baseUrl, 'through-outage');
      await p.start();
      expect((await p.append(1)).status).toBe(201);
      const port = pg.port;
      await pg.stop();
      await sleep(1000);
      expect((await p.append(2)).status).toBe(503); // the producer keeps retrying meanwhile
      await sleep(2 * LEASE_SECONDS * 1000 - 1000);

      pg = await startEmbeddedPostgres({ dataDir: dir, database: 'runlog_test_lease_outage', port });
      await waitFor(async () => (await request(t!.baseUrl).get('/health')).status === 200);
      expect(await t.app.get(LeaseSweeper).sweep()).toBe(0);
      expect((await p.append(2)).status).toBe(201);
      expect((await t.reader.findRun('through-outage'))!.status).toBe('running');
    });
  });
});
