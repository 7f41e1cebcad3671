/** The event store is the source of truth: replaying it rebuilds read models equal to the live ones. */
import { Pool } from 'pg';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { rebuildProjections } from '../../src/batch-runs/persistence/projection-rebuilder';
import { portfolioOnboardingBatch } from '../../src/orchestrator/portfolio-onboarding.batch';
import { startTestApp, TestApp } from '../support/test-app';

async function dump(pool: Pool) {
  const history = await pool.query(`SELECT * FROM batch_run_history ORDER BY batch_run_id`);
  const entries = await pool.query(`SELECT * FROM batch_run_log_entries ORDER BY batch_run_id, seq`);
  return { history: history.rows, entries: entries.rows };
}

describe('projections:rebuild', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t.close());

  it('empties the read models and replays every stream into tables equal to the originals', async () => {
    await t.orchestrator.run(portfolioOnboardingBatch({ seconds: 0, seed: 'a' }), { portfolioId: '11111111-1111-4111-8111-111111111111' });
    await t.orchestrator.run(
      { name: 'fails', phases: [{ name: 'only', jobs: [{ name: 'boom', run: async () => Promise.reject(new Error('no')) }] }] },
      { ownerId: 'x' },
    );
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'still-running', phases: ['A'] }));
    await t.commandBus.execute(
      new AppendLogEntriesCommand({ batchRunId: 'still-running', entries: Array.from({ length: 7000 }, (_, i) => ({ level: 'info', message: `big ${i}` })) }),
    );

    const before = await dump(t.pool);
    expect(before.history).toHaveLength(3);
    await t.pool.query(`UPDATE batch_run_history SET status = 'completed', activity_log = NULL`); // damage the read model
    await t.pool.query(`DELETE FROM batch_run_log_entries WHERE seq % 2 = 0`);

    const report = await rebuildProjections(t.pool);
    expect(report.streams).toBe(3);
    t.committer.forget();

    const after = await dump(t.pool);
    expect(after.entries.length).toBe(before.entries.length);
    expect(after.entries).toEqual(before.entries);
    expect(after.history).toEqual(before.history);
  });
});
