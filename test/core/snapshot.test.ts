/**
 * The snapshot UPDATE is monotonic by construction: an older write that lands after a newer one
 * changes nothing (the original system's "Fix 2", which needed a length check bolted on).
 */
import { Client } from 'pg';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { RunProjection } from '../../src/batch-runs/persistence/run-projection';
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
});
