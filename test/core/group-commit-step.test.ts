/**
 * The transaction step of group commit (GroupCommitter.commitGroup) on its own, with one lane so the
 * commands submitted in one turn of the event loop are one group: a group the database refuses is
 * committed command by command, and only the one at fault fails; a connection the database dropped is
 * discarded, not pooled again; every connection taken is given back, whatever the path.
 */
import { randomUUID } from 'crypto';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, TestApp } from '../support/test-app';

describe('group commit, the transaction step', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { groupCommitLanes: 1 } });
  });
  afterAll(async () => t?.close());

  const start = (batchRunId: string, input: Partial<StartBatchRunCommand['input']> = {}) =>
    t.commandBus.execute(new StartBatchRunCommand({ batchRunId, ...input }));
  const append = (batchRunId: string, message: string) =>
    t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries: [{ level: 'info', message }] }));
  const messages = async (batchRunId: string) =>
    (await t.pool.query(`SELECT message FROM batch_run_log_entries WHERE batch_run_id = $1 ORDER BY seq`, [batchRunId])).rows.map((r) => r.message);
  /** Every connection the pool holds is idle again, and none is waited for. */
  const poolAtRest = () => ({ idle: t.pool.idleCount === t.pool.totalCount, waiting: t.pool.waitingCount });

  it('a group the database refuses is committed one by one: only the start the unique index refuses fails (409 portfolio_onboarding)', async () => {
    const portfolio = randomUUID();
    await start('step-onboarding-1', { portfolioId: portfolio, onboarding: true });
    await Promise.all([start('step-x'), start('step-w')]);
    const groupsBefore = t.committer.stats.groups;

    // One turn of the event loop, one lane: one group of three.
    const [x, refused, w] = await Promise.allSettled([
      append('step-x', 'x one'),
      start('step-onboarding-2', { portfolioId: portfolio, onboarding: true }),
      append('step-w', 'w one'),
    ]);

    expect(x.status).toBe('fulfilled');
    expect(w.status).toBe('fulfilled');
    expect(refused.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'portfolio_onboarding' });
    expect(await messages('step-x')).toEqual(['x one']);
    expect(await messages('step-w')).toEqual(['w one']);
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_history WHERE batch_run_id = 'step-onboarding-2'`);
    expect(rows[0].n).toBe(0);
    // The group itself failed (nothing counted), then its three commands were committed alone, the refused one included in the attempt.
    expect(t.committer.stats.groups - groupsBefore).toBe(2);
    await t.committer.idle();
    expect(poolAtRest()).toEqual({ idle: true, waiting: 0 });
  });

  it('the runs of a refused group go on as usual afterwards (their cached states were dropped and are read again)', async () => {
    await append('step-x', 'x two');
    await append('step-w', 'w two');
    expect(await messages('step-x')).toEqual(['x one', 'x two']);
    expect(await messages('step-w')).toEqual(['w one', 'w two']);
  });

  it('a connection the database dropped fails only the group on it, is discarded, and the next group commits on a fresh one', async () => {
    await start('step-dropped');
    await append('step-dropped', 'before');
    // Every pooled connection of the write pool, killed while idle in the pool.
    const { rows } = await t.pool.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'runlog' AND pid <> pg_backend_pid()`,
    );
    expect(rows[0].n).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100)); // the pool hears of the idle ones ending, and drops them
    let outcome = await append('step-dropped', 'after').then(
      () => 'committed',
      (error: Error) => error.message,
    );
    // An idle connection that ended is dropped by the pool; if one was still handed out, that group fails
    // with the connection error, and the next one commits: never a broken connection twice.
    if (outcome !== 'committed') outcome = await append('step-dropped', 'after').then(() => 'committed');
    expect(outcome).toBe('committed');
    expect(await messages('step-dropped')).toEqual(['before', 'after']);
    await t.committer.idle();
    expect(poolAtRest()).toEqual({ idle: true, waiting: 0 });
  });
});
