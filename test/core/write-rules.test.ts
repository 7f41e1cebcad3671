/** The write side's rules and guarantees, through the CommandBus, against a real PostgreSQL. */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { RunRuleError } from '../../src/batch-runs/domain/run.errors';
import { startTestApp, TestApp } from '../support/test-app';

describe('write side', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t.close());

  const start = (batchRunId: string, phases: string[] = []) => t.commandBus.execute(new StartBatchRunCommand({ batchRunId, phases }));
  const append = (batchRunId: string, entries: Array<{ level: string; message: string; seq?: number }>) =>
    t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries }));
  const stored = async (batchRunId: string) =>
    (await t.pool.query(`SELECT seq, message FROM batch_run_log_entries WHERE batch_run_id = $1 ORDER BY seq`, [batchRunId])).rows;

  it('groups concurrent appends into few transactions, and acknowledges each only once committed', async () => {
    await start('group-commit');
    const before = { ...t.committer.stats };
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => append('group-commit', [{ level: 'info', message: `line ${i}` }])));
    const groups = t.committer.stats.groups - before.groups;
    expect(groups).toBeLessThan(20);
    expect(t.committer.stats.largestGroup).toBeGreaterThan(10);
    // Each acknowledged entry is in the table, and the table shows the grouping: few transaction ids.
    const rows = await stored('group-commit');
    expect(rows).toHaveLength(200);
    expect(new Set(acks.map((a) => a.state.lastSeq)).size).toBe(200);
    const { rows: tx } = await t.pool.query(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM batch_run_log_entries WHERE batch_run_id = 'group-commit'`,
    );
    expect(tx[0].n).toBe(groups);
    // seq order is acceptance order: the i-th command submitted got seq i+1.
    expect(rows.map((r) => r.message)).toEqual(Array.from({ length: 200 }, (_, i) => `line ${i}`));
  });

  it.each([1, 4])('with GROUP_COMMIT_LANES=%i, concurrent appends to many runs keep each run in acceptance order', async (lanes) => {
    const laned = await startTestApp({ db: t.db, env: { GROUP_COMMIT_LANES: String(lanes) } });
    try {
      const runs = Array.from({ length: 12 }, (_, r) => `lanes-${lanes}-${r}`);
      await Promise.all(runs.map((id) => laned.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }))));
      // Five waves of one line per run, all in flight at once: each wave spreads over the lanes.
      await Promise.all(
        Array.from({ length: 5 }, (_, wave) =>
          Promise.all(runs.map((id) => laned.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [{ level: 'info', message: `${id} ${wave}` }] })))),
        ),
      );
      for (const id of runs) {
        expect(await stored(id)).toEqual(Array.from({ length: 5 }, (_, wave) => ({ seq: wave + 1, message: `${id} ${wave}` })));
      }
      if (lanes === 1) expect(laned.committer.stats.mostInFlight).toBe(1);
      else expect(laned.committer.stats.mostInFlight).toBeGreaterThan(1); // the lanes did commit side by side
    } finally {
      await laned.close();
    }
  });

  it.each([1, 4])('with GROUP_COMMIT_PIPELINE=%i in one lane, producers that each await their append keep their order; a run is never in two groups at once', async (pipeline) => {
    const piped = await startTestApp({ db: t.db, env: { GROUP_COMMIT_LANES: '1', GROUP_COMMIT_PIPELINE: String(pipeline) } });
    try {
      const runs = Array.from({ length: 8 }, (_, r) => `pipe-${pipeline}-${r}`);
      await Promise.all(runs.map((id) => piped.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }))));
      // Each producer awaits its append before the next, as a job does, with some work in between (so
      // appends arrive while groups are in flight); a second producer of each run sends too, so one
      // run's commands meet while its group is in flight.
      await Promise.all(
        runs.flatMap((id, r) =>
          ['a', 'b'].map(async (who, w) => {
            for (let i = 0; i < 15; i += 1) {
              await piped.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [{ level: 'info', message: `${who} ${i}` }] }));
              await new Promise((resolve) => setTimeout(resolve, (r + w + i) % 3));
            }
          }),
        ),
      );
      for (const id of runs) {
        const rows = await stored(id);
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        for (const who of ['a', 'b']) {
          expect(rows.map((r) => r.message).filter((m) => m.startsWith(who))).toEqual(Array.from({ length: 15 }, (_, i) => `${who} ${i}`));
        }
      }
      if (pipeline === 1) expect(piped.committer.stats.mostInFlight).toBe(1);
      else expect(piped.committer.stats.mostInFlight).toBeGreaterThan(1); // groups of one lane went side by side
    } finally {
      await piped.close();
    }
  });

  it('stores an entry retried with its seq once', async () => {
    await start('retry');
    await append('retry', [{ level: 'info', message: 'a' }, { level: 'info', message: 'b' }]);
    const again = await append('retry', [{ level: 'info', message: 'b', seq: 2 }, { level: 'info', message: 'c', seq: 3 }]);
    expect(again.events).toHaveLength(1);
    expect(again.state.lastSeq).toBe(3);
    const retried = await append('retry', [{ level: 'info', message: 'c', seq: 3 }]);
    expect(retried.events).toEqual([]);
    expect(await stored('retry')).toEqual([
      { seq: 1, message: 'a' },
      { seq: 2, message: 'b' },
      { seq: 3, message: 'c' },
    ]);
  });

  it('rejects appends to an unknown or finished run, storing nothing, without failing the group', async () => {
    await start('finished');
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'finished', status: 'failed' }));
    const [unknown, finished, fine] = await Promise.allSettled([
      append('no-such-run', [{ level: 'info', message: 'x' }]),
      append('finished', [{ level: 'info', message: 'x' }]),
      start('fine-in-same-group'),
    ]);
    expect(unknown).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'run_not_found', kind: 'not_found' }) });
    expect(finished).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'run_finished', kind: 'conflict' }) });
    expect(fine.status).toBe('fulfilled');
    expect(await stored('finished')).toEqual([]);
    expect(await stored('no-such-run')).toEqual([]);
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_events WHERE stream_id = 'no-such-run'`);
    expect(rows[0].n).toBe(0);
  });

  it('rejects a bad level as a whole command: nothing of it is stored', async () => {
    await start('levels');
    await expect(append('levels', [{ level: 'info', message: 'ok' }, { level: 'fatal', message: 'no' }])).rejects.toBeInstanceOf(RunRuleError);
    expect(await stored('levels')).toEqual([]);
  });

  it('rejects a second start of the same id', async () => {
    await start('twice');
    await expect(start('twice')).rejects.toMatchObject({ code: 'run_exists' });
  });

  it('keeps seqs contiguous when two app instances append to one run at once', async () => {
    const other = await startTestApp({ db: t.db });
    try {
      await start('two-writers');
      const writes = Array.from({ length: 60 }, (_, i) =>
        (i % 2 === 0 ? t : other).commandBus.execute(
          new AppendLogEntriesCommand({ batchRunId: 'two-writers', entries: [{ level: 'info', message: `w${i}` }] }),
        ),
      );
      await Promise.all(writes);
      const rows = await stored('two-writers');
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.message)).size).toBe(60);
    } finally {
      await other.close();
    }
  });

  it('records phase completion on the run row with its counts', async () => {
    await start('phased', ['Load', 'Score']);
    await append('phased', [{ level: 'info', message: 'loading' }]);
    await t.commandBus.execute(new CompletePhaseCommand({ batchRunId: 'phased', phase: 'Load', completedJobs: 3, failedJobs: 0 }));
    const run = await t.reader.findRun('phased');
    expect(run).toMatchObject({ status: 'running', completedJobs: 3, currentPhase: 'Score', snapshotSeq: 1, hasSnapshot: true });
    expect(run!.phases[0]).toMatchObject({ name: 'Load', status: 'completed', completedJobs: 3 });
  });
});
