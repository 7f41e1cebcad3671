/**
 * kill -9 of the whole runlog process group (the service and its embedded PostgreSQL) at random
 * moments while 8 producers append over HTTP, again and again, each time restarted on the same data
 * directory. Afterwards every acknowledged entry is stored exactly once (in the entry table and in
 * the event store), seqs are contiguous 1..n per run, and every run's snapshot is a prefix of its
 * entry table.
 *
 * CRASH_LOOP_ITERATIONS sets the number of kills (default 20, in CI too: about 70 s on this 2-core
 * machine, a restart taking about 1.5 s; the count used is printed). CRASH_LOOP_SEED repeats a run.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { setTimeout as sleep } from 'timers/promises';
import { signToken } from '../../src/auth/token.service';
import { httpRequest, Producer, randomInt, seededRandom, SentEntry, sumStats, Switchboard } from '../support/producer';
import { buildService, embeddedDatabaseUrl, pgrep, ServiceProcess, startService, waitUntilNothingUses } from '../support/service-process';

const PRODUCERS = 8;
const ITERATIONS = process.env.CRASH_LOOP_ITERATIONS ? Number(process.env.CRASH_LOOP_ITERATIONS) : 20;
const SEED = Number(process.env.CRASH_LOOP_SEED ?? Date.now() % 2 ** 31);
const SECRET = 'crash-loop-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const ENV = { RUN_LEASE_SECONDS: '3600', LOG_CACHE_TTL_SECONDS: '60', RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000' };

interface EntryRow {
  seq: number;
  timestamp: string;
  level: string;
  phase: string | null;
  message: string;
}

describe('crash loop: kill -9 of service and embedded PostgreSQL under load', () => {
  let dataDir: string;
  let service: ServiceProcess | null = null;
  const board = new Switchboard();

  beforeAll(async () => {
    await buildService();
    dataDir = mkdtempSync(path.join(tmpdir(), 'runlog-crash-'));
  }, 240_000);

  afterAll(async () => {
    board.close();
    if (service) await service.kill9().catch(() => undefined);
    if (dataDir) {
      await waitUntilNothingUses(dataDir, 10_000);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it(
    `stores every acknowledged entry exactly once, seqs contiguous, snapshots prefixes (${ITERATIONS} kills)`,
    async () => {
      expect(Number.isInteger(ITERATIONS) && ITERATIONS >= 1 && ITERATIONS <= 1000).toBe(true);
      console.log(`crash loop: ${ITERATIONS} kill -9 iterations, ${PRODUCERS} producers, seed ${SEED}`);
      const random = seededRandom(SEED);
      const began = Date.now();
      const startTimes: number[] = [];
      const start = async () => {
        service = await startService({ dataDir, jwtSecret: SECRET, env: ENV });
        startTimes.push(service.startMs);
        board.up(service.baseUrl);
      };
      await start();

      const service_ = `Bearer ${await signToken(SECRET, { sub: 'crash-producer', role: 'service' })}`;
      const admin = `Bearer ${await signToken(SECRET, { sub: 'crash-admin', role: 'admin' })}`;
      const producers = Array.from(
        { length: PRODUCERS },
        (_, i) =>
          new Producer({
            runId: `crash-${SEED}-${i + 1}`,
            target: board,
            authorization: service_,
            random: seededRandom(SEED + i + 1),
            minBatch: 1,
            maxBatch: 20,
            phases: 100,
            phaseEvery: 7,
            retryBudgetMs: 150_000,
            requestTimeoutMs: 30_000,
          }),
      );
      let stopping = false;
      const deadline = Date.now() + 15 * 60_000; // a bound, far above the expected duration
      const running = producers.map((p) => p.run(() => stopping, deadline));

      let requestsCutByKills = 0;
      const acknowledged = () => producers.reduce((n, p) => n + p.stats.batches, 0);
      for (let i = 1; i <= ITERATIONS; i += 1) {
        // The producers are appending again (a first 201 since the restart), then a random moment later: kill.
        const before = acknowledged();
        for (const until = Date.now() + 30_000; acknowledged() === before && Date.now() < until; ) await sleep(20);
        if (acknowledged() === before) {
          const { unexpected, statuses } = sumStats(producers.map((p) => p.stats));
          throw new Error(`no append acknowledged within 30 s of restart ${i - 1}: ${JSON.stringify({ statuses, unexpected: unexpected.slice(0, 5) })}`);
        }
        await sleep(randomInt(random, 300, 2000));
        board.down();
        requestsCutByKills += producers.filter((p) => p.inFlight).length;
        await service!.kill9(); // service and embedded PostgreSQL, mid-write
        await start();
      }
      stopping = true;
      await Promise.all(running); // each producer sees its batch in flight through to a 201
      expect(requestsCutByKills).toBeGreaterThan(0);
      const totals = sumStats(producers.map((p) => p.stats));
      expect(totals.unexpected).toEqual([]);
      for (const p of producers) expect(p.lastAckedSeq).toBeGreaterThan(0);

      // Half the runs finished (snapshot = whole log), half left running (snapshot = up to the last phase end).
      const finishDeadline = Date.now() + 60_000;
      for (const p of producers.slice(0, PRODUCERS / 2)) expect(await p.finish('completed', finishDeadline)).toBe(true);

      const pg = new Client({ connectionString: embeddedDatabaseUrl(dataDir) });
      await pg.connect();
      try {
        for (const p of producers) await verifyRun(pg, p, service!.baseUrl, admin);
      } finally {
        await pg.end();
      }

      const acked = producers.reduce((n, p) => n + p.lastAckedSeq, 0);
      const exitCode = await service!.stop();
      service = null;
      expect(exitCode).toBe(0);
      expect(await waitUntilNothingUses(dataDir)).toEqual([]);
      expect(await pgrep(dataDir)).toEqual([]);

      const seconds = ((Date.now() - began) / 1000).toFixed(1);
      console.log(
        [
          `crash loop done in ${seconds} s: ${ITERATIONS} kills cutting ${requestsCutByKills} requests in flight; ${acked} entries acknowledged in ${totals.batches} batches`,
          `retried requests: ${totals.retries} (network errors ${totals.networkErrors}); batches committed before the kill but answered only on retry: ${totals.deduplicatedBatches} (${totals.deduplicatedEntries} entries not stored twice)`,
          `phases completed: ${totals.phasesCompleted}; restart to "listening": ${startTimes.slice(1).map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`,
        ].join('\n'),
      );
    },
    20 * 60_000,
  );
});

/** Entry table, event store, snapshot, run row and HTTP downloads of one run, against what its producer was acknowledged. */
async function verifyRun(pg: Client, producer: Producer, baseUrl: string, admin: string): Promise<void> {
  const id = producer.runId;
  const acked: SentEntry[] = producer.acked;
  const n = acked.length;

  // Entry table: seqs 1..n, each once, each the acknowledged entry.
  const { rows: entries } = await pg.query<EntryRow>(
    `SELECT seq, to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "timestamp", level, phase, message
       FROM batch_run_log_entries WHERE batch_run_id = $1 ORDER BY seq`,
    [id],
  );
  expect(entries.map((e) => e.seq)).toEqual(range(1, n));
  expect(entries.map((e) => ({ seq: e.seq, level: e.level, message: e.message }))).toEqual(acked);

  // Event store: versions contiguous, LogAppended events carry every seq exactly once, with the same entries.
  const { rows: events } = await pg.query<{ version: number; type: string; payload: { entries?: EntryRow[] } }>(
    `SELECT version, type, payload FROM batch_run_events WHERE stream_id = $1 ORDER BY version`,
    [id],
  );
  expect(events.map((e) => e.version)).toEqual(range(1, events.length));
  const logged = events.filter((e) => e.type === 'LogAppended').flatMap((e) => e.payload.entries ?? []);
  expect(logged.map((e) => e.seq)).toEqual(range(1, n));
  expect(logged.map((e) => ({ seq: e.seq, level: e.level, message: e.message }))).toEqual(acked);

  // Run row and snapshot: the snapshot is the entry table's first activity_log_seq rows, exactly.
  const { rows: runs } = await pg.query<{ last_seq: number; stream_version: number; activity_log: EntryRow[] | null; activity_log_seq: number; status: string }>(
    `SELECT last_seq, stream_version, activity_log, activity_log_seq, status FROM batch_run_history WHERE batch_run_id = $1`,
    [id],
  );
  expect(runs).toHaveLength(1);
  const run = runs[0];
  expect(run.last_seq).toBe(n);
  expect(run.stream_version).toBe(events.length);
  // A snapshot is written at each phase end and at the finish.
  if (producer.stats.phasesCompleted > 0 || run.status !== 'running') expect(run.activity_log).not.toBeNull();
  const snapshot = run.activity_log ?? [];
  expect(snapshot.length).toBe(run.activity_log_seq);
  expect(snapshot.length).toBeLessThanOrEqual(n);
  expect(snapshot).toEqual(entries.slice(0, snapshot.length));
  if (run.status === 'completed') expect(snapshot.length).toBe(n);

  // Through the API: the count, and the download (whichever source serves it) equal to the entry table.
  const count = await httpRequest(`${baseUrl}/api/v1/admin/batch/history/${id}/logs/count`, { headers: { Authorization: admin } });
  expect(count.status).toBe(200);
  expect(JSON.parse(count.body).count).toBe(n);
  const download = await httpRequest(`${baseUrl}/api/v1/admin/batch/history/${id}/logs?format=ndjson`, { headers: { Authorization: admin } });
  expect(download.status).toBe(200);
  const lines = download.body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as EntryRow);
  expect(lines).toEqual(entries);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
