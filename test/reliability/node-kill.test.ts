/**
 * kill -9 of the node process alone (the OOM killer, a crash), while producers append over HTTP:
 * the embedded PostgreSQL is left running as an orphan. The watchdog stops it within moments; and
 * whether it did or not (RUNLOG_PG_WATCHDOG=false), the next start on the same data directory
 * stops the orphan itself and comes up healthy, with every acknowledged entry stored exactly once.
 * A data directory that a live runlog holds is still refused, and that runlog is unharmed.
 *
 * Prints the times measured: kill -9 to postmaster gone (watchdog), and restart to "listening".
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { setTimeout as sleep } from 'timers/promises';
import { signToken } from '../../src/auth/token.service';
import { httpRequest, Producer, seededRandom, SentEntry, sumStats, Switchboard } from '../support/producer';
import { buildService, embeddedDatabaseUrl, pgrep, ServiceProcess, startService, waitUntilNothingUses } from '../support/service-process';

const SECRET = 'node-kill-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const ENV = { RUN_LEASE_SECONDS: '3600', RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000' };
const PRODUCERS = 4;
const SEED = Number(process.env.NODE_KILL_SEED ?? Date.now() % 2 ** 31);
// Measured about 0.2-0.3 s on the 2-core machine (one 250 ms poll, then a fast shutdown); the bound
// leaves room for a loaded machine.
const WATCHDOG_BOUND_MS = 10_000;

jest.setTimeout(120_000);

const dataDirs: string[] = [];
const services: ServiceProcess[] = [];
const boards: Switchboard[] = [];

beforeAll(async () => {
  await buildService();
  console.log(`node-kill: seed ${SEED}`);
}, 240_000);

afterAll(async () => {
  for (const board of boards) board.close();
  for (const service of services) await service.kill9().catch(() => undefined);
  for (const dir of dataDirs) {
    // Anything still running (a failed test's orphan): immediate shutdown, so no process is left.
    for (const pid of await pgrep(dir)) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // Gone meanwhile.
      }
    }
    await waitUntilNothingUses(dir, 10_000);
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'runlog-node-kill-'));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = await startService({ dataDir, jwtSecret: SECRET, env: { ...ENV, ...env } });
  services.push(service);
  return service;
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Alive and not a zombie (a zombie holds no port, file or shared memory; init reaps it when it gets to it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.charAt(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

async function health(baseUrl: string): Promise<number> {
  return (await httpRequest(`${baseUrl}/health`)).status;
}

/** Producers appending through a switchboard until stopped; each records what was acknowledged. */
async function startProducers(name: string, board: Switchboard) {
  const authorization = `Bearer ${await signToken(SECRET, { sub: `${name}-producer`, role: 'service' })}`;
  const producers = Array.from(
    { length: PRODUCERS },
    (_, i) =>
      new Producer({
        runId: `${name}-${SEED}-${i + 1}`,
        target: board,
        authorization,
        random: seededRandom(SEED + i + 1),
        minBatch: 1,
        maxBatch: 20,
        phases: 20,
        phaseEvery: 5,
        retryBudgetMs: 90_000,
        requestTimeoutMs: 30_000,
      }),
  );
  let stopping = false;
  const running = producers.map((p) => p.run(() => stopping, Date.now() + 5 * 60_000));
  const acknowledged = () => producers.reduce((n, p) => n + p.stats.batches, 0);
  return {
    producers,
    acknowledged,
    /** Waits (bounded) until `more` further batches are acknowledged. */
    async progress(more: number, timeoutMs = 30_000) {
      const target = acknowledged() + more;
      for (const until = Date.now() + timeoutMs; acknowledged() < target && Date.now() < until; ) await sleep(20);
      expect(acknowledged()).toBeGreaterThanOrEqual(target);
    },
    /** Stops after each producer's batch in flight has been answered; no producer may have seen anything unexpected. */
    async stop() {
      stopping = true;
      await Promise.all(running);
      expect(sumStats(producers.map((p) => p.stats)).unexpected).toEqual([]);
      for (const p of producers) expect(p.lastAckedSeq).toBeGreaterThan(0);
    },
  };
}

/** Every acknowledged entry is in the entry table and the event store exactly once, and nothing else is. */
async function verifyStored(dataDir: string, producers: Producer[]): Promise<void> {
  const pg = new Client({ connectionString: embeddedDatabaseUrl(dataDir) });
  await pg.connect();
  try {
    for (const producer of producers) {
      const acked: SentEntry[] = producer.acked;
      const { rows: entries } = await pg.query<SentEntry>(
        'SELECT seq, level, message FROM batch_run_log_entries WHERE batch_run_id = $1 ORDER BY seq',
        [producer.runId],
      );
      expect(entries).toEqual(acked);
      const { rows: events } = await pg.query<{ version: number; type: string; payload: { entries?: SentEntry[] } }>(
        'SELECT version, type, payload FROM batch_run_events WHERE stream_id = $1 ORDER BY version',
        [producer.runId],
      );
      expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
      const logged = events.filter((e) => e.type === 'LogAppended').flatMap((e) => e.payload.entries ?? []);
      expect(logged.map((e) => ({ seq: e.seq, level: e.level, message: e.message }))).toEqual(acked);
      const { rows: runs } = await pg.query<{ last_seq: number }>('SELECT last_seq FROM batch_run_history WHERE batch_run_id = $1', [producer.runId]);
      expect(runs).toEqual([{ last_seq: acked.length }]);
    }
  } finally {
    await pg.end();
  }
}

/** SIGTERM: exit 0, and nothing that names the data directory or runs inside it is left (postmaster, watchdog). */
async function stopAndExpectNothingLeft(service: ServiceProcess, dataDir: string): Promise<void> {
  expect(await service.stop()).toBe(0);
  expect(await waitUntilNothingUses(dataDir)).toEqual([]);
  expect(await pgrep(dataDir)).toEqual([]);
}

/** Load, then kill -9 of node alone in the middle of it; returns the orphaned postmaster's pid. */
async function killNodeUnderLoad(service: ServiceProcess, dataDir: string, board: Switchboard, load: { progress(n: number): Promise<void> }) {
  await load.progress(20);
  await sleep(200 + (SEED % 500));
  const postmaster = postmasterPid(dataDir);
  expect(isRunning(postmaster)).toBe(true);
  board.down();
  await service.kill9NodeOnly();
  return { postmaster, killedAt: Date.now() };
}

describe('kill -9 of the node process alone', () => {
  it('the watchdog stops the orphaned postgres within moments; the restart is healthy, every acknowledged entry stored once', async () => {
    const dataDir = newDataDir();
    const board = new Switchboard();
    boards.push(board);
    const first = await start(dataDir);
    board.up(first.baseUrl);
    const load = await startProducers('watchdog', board);

    const { postmaster, killedAt } = await killNodeUnderLoad(first, dataDir, board, load);
    while (isRunning(postmaster) && Date.now() - killedAt < WATCHDOG_BOUND_MS) await sleep(10);
    const goneMs = Date.now() - killedAt;
    expect(isRunning(postmaster)).toBe(false);
    // The watchdog ends once the postmaster has.
    for (const until = Date.now() + 5_000; (await pgrep(`runlog-pg-watchdog ${dataDir}`)).length > 0 && Date.now() < until; ) await sleep(20);
    expect(await pgrep(`runlog-pg-watchdog ${dataDir}`)).toEqual([]);

    const second = await start(dataDir);
    expect(await health(second.baseUrl)).toBe(200);
    board.up(second.baseUrl);
    await load.progress(10); // the producers' cut batches went through, and new ones too
    await load.stop();
    await verifyStored(dataDir, load.producers);
    console.log(`node-kill (watchdog): kill -9 of node to postmaster gone ${goneMs} ms; restart to "listening" ${second.startMs} ms; ${load.acknowledged()} batches acknowledged`);
    await stopAndExpectNothingLeft(second, dataDir);
  });

  it('without the watchdog (RUNLOG_PG_WATCHDOG=false) the orphan lives on; the next start stops it, is healthy, every acknowledged entry stored once', async () => {
    const dataDir = newDataDir();
    const board = new Switchboard();
    boards.push(board);
    const first = await start(dataDir, { RUNLOG_PG_WATCHDOG: 'false' });
    expect(await pgrep(`runlog-pg-watchdog ${dataDir}`)).toEqual([]);
    board.up(first.baseUrl);
    const load = await startProducers('cleanup', board);

    const { postmaster } = await killNodeUnderLoad(first, dataDir, board, load);
    // The scenario: nothing stops the orphan, it still holds the data directory.
    await sleep(1_500);
    expect(isRunning(postmaster)).toBe(true);

    const second = await start(dataDir);
    expect(second.output()).toMatch(new RegExp(`stopped the embedded PostgreSQL \\(pid ${postmaster}\\) left running by runlog pid ${first.pid}, which is gone \\((fast|immediate) shutdown`));
    expect(isRunning(postmaster)).toBe(false);
    expect(await health(second.baseUrl)).toBe(200);
    board.up(second.baseUrl);
    await load.progress(10);
    await load.stop();
    await verifyStored(dataDir, load.producers);
    const notice = /stopped the embedded PostgreSQL .*/.exec(second.output())?.[0];
    console.log(`node-kill (start-up clean-up, no watchdog): restart to "listening" ${second.startMs} ms (${notice}); ${load.acknowledged()} batches acknowledged`);
    await stopAndExpectNothingLeft(second, dataDir);
  });

  it('a second runlog on a data directory that a live runlog holds is refused, and the first one is unharmed', async () => {
    const dataDir = newDataDir();
    const board = new Switchboard();
    boards.push(board);
    const first = await start(dataDir);
    board.up(first.baseUrl);
    const load = await startProducers('refused', board);
    await load.progress(10);
    const postmaster = postmasterPid(dataDir);

    const refused = await start(dataDir).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refused).toContain(`data directory ${path.join(dataDir, 'pg')} is in use by a running postgres (pid ${postmaster}`);
    expect(refused).toContain(`runlog pid ${first.pid} holds ${path.join(dataDir, 'runlog.pid')}`);

    expect(postmasterPid(dataDir)).toBe(postmaster);
    expect(isRunning(postmaster)).toBe(true);
    expect(await health(first.baseUrl)).toBe(200);
    await load.progress(10);
    await load.stop();
    await verifyStored(dataDir, load.producers);
    await stopAndExpectNothingLeft(first, dataDir);
  });
});
