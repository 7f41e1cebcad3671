/** Runs through the orchestrator, read back through the reader, against a real PostgreSQL. */
import { BatchDefinition } from '../../src/orchestrator/batch-definition';
import { portfolioOnboardingBatch } from '../../src/orchestrator/portfolio-onboarding.batch';
import { startTestApp, TestApp } from '../support/test-app';

const job = (name: string, lines: string[], fail?: string) => ({
  name,
  async run(ctx: { info(m: string): Promise<void> }) {
    for (const line of lines) await ctx.info(line);
    if (fail) throw new Error(fail);
  },
});

describe('a batch run, end to end', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => t.close());

  it('a run that completes: every line stored in order, status completed, snapshot written', async () => {
    const outcome = await t.orchestrator.run(portfolioOnboardingBatch({ seconds: 0, seed: 'p1' }), {
      portfolioId: '11111111-1111-4111-8111-111111111111',
      ownerId: 'owner-1',
    });
    expect(outcome.status).toBe('completed');

    const log = (await t.reader.readAll(outcome.batchRunId))!;
    expect(log.source).toBe('memory');
    expect(log.run).toMatchObject({ status: 'completed', ownerId: 'owner-1', failedJobs: 0, totalJobs: 12, completedJobs: 12 });
    expect(log.run.phases).toHaveLength(8);
    expect(log.run.phases.map((p) => p.name)).toContain('Phase 1.5: Factor Coverage');
    expect(log.run.phases.every((p) => p.status === 'completed')).toBe(true);
    expect(log.entries.map((e) => e.seq)).toEqual(log.entries.map((_, i) => i + 1));
    expect(log.entries.some((e) => e.level === 'warning')).toBe(true);

    const { rows } = await t.pool.query(
      `SELECT jsonb_array_length(activity_log) AS n, activity_log_seq, last_seq FROM batch_run_history WHERE batch_run_id = $1`,
      [outcome.batchRunId],
    );
    expect(rows[0]).toEqual({ n: log.entries.length, activity_log_seq: log.entries.length, last_seq: log.entries.length });
  });

  it('a run that fails mid-phase: lines up to the failure stored, status failed, later phases never run', async () => {
    const batch: BatchDefinition = {
      name: 'failing',
      phases: [
        { name: 'Phase 1', jobs: [job('load', ['loaded 10 rows'])] },
        { name: 'Phase 2', jobs: [job('compute', ['computing', 'half way'], 'division by zero'), job('never', ['unreachable'])] },
        { name: 'Phase 3', jobs: [job('later', ['never runs'])] },
      ],
    };
    const outcome = await t.orchestrator.run(batch);
    expect(outcome).toMatchObject({ status: 'failed', completedJobs: 1, failedJobs: 1 });

    const log = (await t.reader.readAll(outcome.batchRunId))!;
    expect(log.run.status).toBe('failed');
    const messages = log.entries.map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining(['loaded 10 rows', 'computing', 'half way']));
    expect(messages).not.toContain('unreachable');
    expect(messages).not.toContain('never runs');
    const failure = log.entries.find((e) => e.level === 'error' && e.message.includes('division by zero'))!;
    expect(failure).toMatchObject({ phase: 'Phase 2', message: 'Job compute failed: division by zero' });
    expect(log.run.phases.find((p) => p.name === 'Phase 2')).toMatchObject({ status: 'failed', failedJobs: 1 });
    expect(log.run.phases.find((p) => p.name === 'Phase 3')).toMatchObject({ status: 'pending' });
  });

  it('a batch declared to continue finishes as partial, never as completed', async () => {
    const outcome = await t.orchestrator.run({
      name: 'continuing',
      continueOnFailure: true,
      phases: [
        { name: 'A', jobs: [job('a', ['a ok'])] },
        { name: 'B', jobs: [job('b', ['b starts'], 'upstream timeout')] },
        { name: 'C', jobs: [job('c', ['c ok'])] },
      ],
    });
    expect(outcome.status).toBe('partial');
    const log = (await t.reader.readAll(outcome.batchRunId))!;
    expect(log.run.status).toBe('partial');
    expect(log.entries.map((e) => e.message)).toContain('c ok');
  });
});
