/**
 * The snapshot UPDATE is monotonic by construction: an older write that lands after a newer one
 * changes nothing (the original system's "Fix 2", which needed a length check bolted on).
 */
import { Client, Pool } from 'pg';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { RunProjection } from '../../src/batch-runs/persistence/run-projection';
import { SnapshotWriter } from '../../src/batch-runs/persistence/snapshot-writer';
import { startTestApp, TestApp } from '../support/test-app';

describe('snapshot writes', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t.close());

  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    return client;
  }

  it('an older snapshot write delayed until a newer one has landed leaves the newer one in place', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'snap' }));
    await t.commandBus.execute(
      new AppendLogEntriesCommand({ batchRunId: 'snap', entries: Array.from({ length: 20 }, (_, i) => ({ level: 'info', message: `m${i + 1}` })) }),
    );
    const projection = new RunProjection();
    const older = await connect();
    const newer = await connect();
    try {
      // The older writer starts its transaction first and is then held up...
      await older.query('BEGIN');
      await older.query('SELECT 1');
      // ...while the newer writer (seq 20) commits.
      await newer.query('BEGIN');
      expect(await projection.writeSnapshot(newer, 'snap', 20)).toBe(true);
      await newer.query('COMMIT');
      // The delayed older write (seq 10) arrives: it matches nothing.
      expect(await projection.writeSnapshot(older, 'snap', 10)).toBe(false);
      await older.query('COMMIT');
    } finally {
      await older.end();
      await newer.end();
    }
    const { rows } = await t.pool.query(
      `SELECT activity_log_seq, jsonb_array_length(activity_log) AS n, activity_log->-1->>'message' AS last FROM batch_run_history WHERE batch_run_id = 'snap'`,
    );
    expect(rows[0]).toEqual({ activity_log_seq: 20, n: 20, last: 'm20' });
  });

  it('two writers racing on the row: whichever order they commit in, the newest seq wins', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'race' }));
    await t.commandBus.execute(
      new AppendLogEntriesCommand({ batchRunId: 'race', entries: Array.from({ length: 30 }, (_, i) => ({ level: 'info', message: `r${i + 1}` })) }),
    );
    const projection = new RunProjection();
    const a = await connect();
    const b = await connect();
    try {
      await a.query('BEGIN');
      await b.query('BEGIN');
      expect(await projection.writeSnapshot(a, 'race', 30)).toBe(true); // holds the row lock
      const blocked = projection.writeSnapshot(b, 'race', 15); // waits for a
      await a.query('COMMIT');
      expect(await blocked).toBe(false); // re-checked against the committed row: older, so nothing
      await b.query('COMMIT');
    } finally {
      await a.end();
      await b.end();
    }
    const { rows } = await t.pool.query(`SELECT activity_log_seq, jsonb_array_length(activity_log) AS n FROM batch_run_history WHERE batch_run_id = 'race'`);
    expect(rows[0]).toEqual({ activity_log_seq: 30, n: 30 });
  });

  it('extends a snapshot with only the entries it lacks, keeping seq order', async () => {
    const projection = new RunProjection();
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'grow' }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'grow', entries: [{ level: 'info', message: 'one' }, { level: 'info', message: 'two' }] }));
    expect(await projection.writeSnapshot(t.pool, 'grow', 1)).toBe(true);
    expect(await projection.writeSnapshot(t.pool, 'grow', 2)).toBe(true);
    expect(await projection.writeSnapshot(t.pool, 'grow', 2)).toBe(false);
    const { rows } = await t.pool.query(`SELECT activity_log FROM batch_run_history WHERE batch_run_id = 'grow'`);
    expect(rows[0].activity_log.map((e: { seq: number; message: string }) => [e.seq, e.message])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(rows[0].activity_log[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a long snapshot write holds up only its own run: other runs of the lane are acknowledged meanwhile', async () => {
    const laned = await startTestApp({ db: t.db, env: { GROUP_COMMIT_LANES: '1' } }); // every run in one lane
    try {
      const bus = laned.commandBus;
      await bus.execute(new StartBatchRunCommand({ batchRunId: 'long-log', phases: ['Load', 'Check'] }));
      await bus.execute(new StartBatchRunCommand({ batchRunId: 'neighbour' }));
      for (let k = 0; k < 30; k += 1) {
        const entries = Array.from({ length: 1000 }, (_, i) => ({ level: 'info', message: `line ${k * 1000 + i + 1} of a long phase`, phase: 'Load' }));
        await bus.execute(new AppendLogEntriesCommand({ batchRunId: 'long-log', entries }));
      }
      const order: string[] = [];
      const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name));
      // The completion's snapshot covers 30,000 entries; both later commands are submitted while it is in flight.
      const completion = track('completion of long-log', bus.execute(new CompletePhaseCommand({ batchRunId: 'long-log', phase: 'Load' })));
      await new Promise((resolve) => setImmediate(resolve)); // the completion's group is on its way
      const ownAppend = track('later append to long-log', bus.execute(new AppendLogEntriesCommand({ batchRunId: 'long-log', entries: [{ level: 'info', message: 'after' }] })));
      const neighbour = track('append to neighbour', bus.execute(new AppendLogEntriesCommand({ batchRunId: 'neighbour', entries: [{ level: 'info', message: 'meanwhile' }] })));
      await Promise.all([completion, ownAppend, neighbour]);
      expect(order).toEqual(['append to neighbour', 'completion of long-log', 'later append to long-log']);
      // Acknowledged means written: the snapshot holds the whole phase, the later line follows it in the entry table.
      const { rows } = await t.pool.query(`SELECT activity_log_seq, jsonb_array_length(activity_log) AS n, last_seq FROM batch_run_history WHERE batch_run_id = 'long-log'`);
      expect(rows[0]).toEqual({ activity_log_seq: 30_000, n: 30_000, last_seq: 30_001 });
    } finally {
      await laned.close();
    }
  });

  it('catches up the snapshot of a finished run whose writer died between the commit and the snapshot', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'died-between' }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'died-between', entries: [{ level: 'info', message: 'x' }, { level: 'info', message: 'y' }] }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'died-between', status: 'completed' }));
    // As if the snapshot transaction never ran.
    await t.pool.query(`UPDATE batch_run_history SET activity_log = NULL, activity_log_seq = 0 WHERE batch_run_id = 'died-between'`);
    expect(await t.app.get(SnapshotWriter).catchUpFinishedRuns()).toBeGreaterThanOrEqual(1);
    const { rows } = await t.pool.query(`SELECT activity_log_seq, activity_log FROM batch_run_history WHERE batch_run_id = 'died-between'`);
    expect(rows[0].activity_log_seq).toBe(2);
    expect(rows[0].activity_log.map((e: { message: string }) => e.message)).toEqual(['x', 'y']);
    expect(await t.app.get(SnapshotWriter).catchUpFinishedRuns()).toBe(0); // nothing left behind
  });

  it('a snapshot the database could not take is acknowledged anyway and written once it can', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'postponed' }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'postponed', entries: [{ level: 'info', message: 'a' }, { level: 'info', message: 'b' }] }));
    // The real pool, behind a connection that is refused twice (the database restarting).
    let refusals = 2;
    const flaky = {
      query: (...args: Parameters<Pool['query']>) =>
        refusals-- > 0 ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { code: 'ECONNREFUSED' })) : t.pool.query(...args),
    } as unknown as Pool;
    const writer = new SnapshotWriter(flaky, new RunProjection());
    try {
      await writer.write('postponed', 2); // resolves: the command it belongs to is committed already
      const seqOf = async () => (await t.pool.query(`SELECT activity_log_seq FROM batch_run_history WHERE batch_run_id = 'postponed'`)).rows[0].activity_log_seq;
      expect(await seqOf()).toBe(0);
      const until = Date.now() + 15_000;
      while ((await seqOf()) !== 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(await seqOf()).toBe(2); // retried in the background (the second refusal too) until written
      expect(refusals).toBeLessThan(0);
    } finally {
      writer.beforeApplicationShutdown();
    }
  });
});
