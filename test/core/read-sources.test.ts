/**
 * Where a log is read from, and that it is right whichever source serves it: memory while cached,
 * the database after a restart or after the cache's TTL, and each portfolio's own lines only.
 */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { ManualClock } from '../../src/common/clock';
import { portfolioOnboardingBatch } from '../../src/orchestrator/portfolio-onboarding.batch';
import { createTestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ level: 'info', message: `${prefix} ${i + 1}` }));

describe('read sources', () => {
  it('a new instance on the same database, after the first closed mid-run, reads the partial log from the database', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestApp({ db });
      await first.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'crashy', phases: ['P1', 'P2'] }));
      await first.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'crashy', entries: lines('p1', 5).map((e) => ({ ...e, phase: 'P1' })) }));
      await first.commandBus.execute(new CompletePhaseCommand({ batchRunId: 'crashy', phase: 'P1', completedJobs: 1 }));
      await first.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'crashy', entries: lines('p2', 3).map((e) => ({ ...e, phase: 'P2' })) }));
      expect((await first.reader.readAll('crashy'))!.source).toBe('memory');
      await first.close(); // mid-run: P2 never completes, the run is never finished

      const second = await startTestApp({ db });
      try {
        const log = (await second.reader.readAll('crashy'))!;
        expect(log.source).toBe('snapshot'); // the snapshot (P1's 5 lines) plus the 3 entries after it
        expect(log.run.status).toBe('running');
        expect(log.entries.map((e) => e.message)).toEqual([...lines('p1', 5), ...lines('p2', 3)].map((e) => e.message));
        expect(log.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

        // The new instance carries on the same run where the first stopped.
        const more = await second.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'crashy', entries: lines('resumed', 1) }));
        expect(more.state.lastSeq).toBe(9);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('with no snapshot yet, the entry table alone serves the log', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestApp({ db });
      await first.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'early' }));
      await first.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'early', entries: lines('x', 4) }));
      await first.close();
      const second = await startTestApp({ db });
      try {
        const log = (await second.reader.readAll('early'))!;
        expect(log.source).toBe('entries');
        expect(log.entries).toHaveLength(4);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('after the cache TTL (fake clock) a finished run is served from the database, with its real status', async () => {
    const clock = new ManualClock();
    const t = await startTestApp({ clock, env: { LOG_CACHE_TTL_SECONDS: '7200' } });
    try {
      await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'ttl' }));
      await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'ttl', entries: [{ level: 'error', message: 'broke' }] }));
      await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'ttl', status: 'failed' }));

      clock.advance(7199 * 1000);
      expect((await t.reader.readAll('ttl'))!.source).toBe('memory');
      clock.advance(1000);
      const log = (await t.reader.readAll('ttl'))!;
      expect(log.source).toBe('snapshot');
      expect(log.run.status).toBe('failed'); // never shown as completed
      expect(log.entries.map((e) => e.message)).toEqual(['broke']);
    } finally {
      await t.close();
    }
  });

  it('three portfolios running at once each read back exactly their own lines', async () => {
    const t = await startTestApp();
    try {
      const portfolios = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'];
      const outcomes = await Promise.all(
        portfolios.map((portfolioId) =>
          t.orchestrator.run(portfolioOnboardingBatch({ seconds: 0.5, seed: portfolioId }), { portfolioId, ownerId: `owner-${portfolioId.slice(0, 1)}` }),
        ),
      );
      const logs = await Promise.all(outcomes.map((o) => t.reader.readAll(o.batchRunId)));
      const { rows } = await t.pool.query(`SELECT batch_run_id, seq, message FROM batch_run_log_entries ORDER BY batch_run_id, seq`);
      outcomes.forEach((outcome, i) => {
        const log = logs[i]!;
        expect(log.run.portfolioId).toBe(portfolios[i]);
        const own = rows.filter((r) => r.batch_run_id === outcome.batchRunId).map((r) => r.message);
        expect(log.entries.map((e) => e.message)).toEqual(own);
        expect(own.length).toBeGreaterThan(20);
        expect(log.entries.map((e) => e.seq)).toEqual(own.map((_, k) => k + 1));
      });
      // The numbers in the lines are seeded per portfolio, so the three logs differ.
      expect(new Set(logs.map((l) => l!.entries.map((e) => e.message).join('\n'))).size).toBe(3);
    } finally {
      await t.close();
    }
  });
});
