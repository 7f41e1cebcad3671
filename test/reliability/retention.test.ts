/** Retention deletes finished runs older than RETENTION_DAYS in bounded batches; 0 keeps everything. */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { RetentionService } from '../../src/batch-runs/retention/retention.service';
import { ManualClock } from '../../src/common/clock';
import { startTestApp, TestApp } from '../support/test-app';

async function makeRun(t: TestApp, id: string, finish: boolean): Promise<void> {
  await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }));
  await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [{ level: 'info', message: `${id} a` }, { level: 'info', message: `${id} b` }] }));
  if (finish) await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'completed' }));
}

async function count(t: TestApp, table: string, column: string, id: string): Promise<number> {
  const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [id]);
  return rows[0].n;
}

describe('retention', () => {
  it('deletes old finished runs with their events, entries and snapshots, in batches; keeps recent and running ones', async () => {
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    const oldClock = new ManualClock(daysAgo(120));
    const old = await startTestApp({ clock: oldClock, env: { RETENTION_DAYS: '90', RETENTION_BATCH_RUNS: '2' } });
    try {
      for (let i = 0; i < 5; i += 1) await makeRun(old, `old-${i}`, true);
      await makeRun(old, 'old-but-running', false);
      const recent = await startTestApp({ db: old.db, env: { RETENTION_DAYS: '90' } });
      try {
        await makeRun(recent, 'recent', true);
      } finally {
        await recent.close();
      }

      const report = await old.app.get(RetentionService).runOnce();
      expect(report).toEqual({ runs: 5, events: 15, entries: 10 });
      for (let i = 0; i < 5; i += 1) {
        expect(await count(old, 'batch_run_history', 'batch_run_id', `old-${i}`)).toBe(0);
        expect(await count(old, 'batch_run_events', 'stream_id', `old-${i}`)).toBe(0);
        expect(await count(old, 'batch_run_log_entries', 'batch_run_id', `old-${i}`)).toBe(0);
        expect(await old.reader.read(`old-${i}`)).toBeNull(); // not served from the cache either
      }
      expect(await count(old, 'batch_run_log_entries', 'batch_run_id', 'recent')).toBe(2);
      expect(await count(old, 'batch_run_log_entries', 'batch_run_id', 'old-but-running')).toBe(2);
      expect((await old.app.get(RetentionService).runOnce()).runs).toBe(0);
    } finally {
      await old.close();
    }
  });

  it('RETENTION_DAYS=0 keeps everything', async () => {
    const t = await startTestApp({ clock: new ManualClock(new Date('2020-01-01T00:00:00Z')), env: { RETENTION_DAYS: '0' } });
    try {
      await makeRun(t, 'ancient', true);
      expect(await t.app.get(RetentionService).runOnce()).toEqual({ runs: 0, events: 0, entries: 0 });
      expect(await count(t, 'batch_run_log_entries', 'batch_run_id', 'ancient')).toBe(2);
    } finally {
      await t.close();
    }
  });
});
