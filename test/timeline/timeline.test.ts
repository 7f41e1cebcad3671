/** The timeline, rebuilt from the event stream, now and as of a past moment. */
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { ManualClock } from '../../src/common/clock';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

describe('timeline', () => {
  const clock = new ManualClock(new Date('2026-01-11T14:00:00.000Z'));
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, listen: true });
    admin = `Bearer ${await tokenFor('admin')}`;
    const id = 'timeline-run';
    const step = async (command: object, seconds: number) => {
      await t.commandBus.execute(command as never);
      clock.advance(seconds * 1000);
    };
    await step(new StartBatchRunCommand({ batchRunId: id, phases: ['Load', 'Score', 'Report'] }), 10); // 14:00:00
    await step(new AppendLogEntriesCommand({ batchRunId: id, entries: [
      { level: 'info', message: 'loading', phase: 'Load', timestamp: '2026-01-11T14:00:10.000Z' },
      { level: 'warning', message: 'slow source', phase: 'Load', timestamp: '2026-01-11T14:00:10.000Z' },
    ] }), 20); // 14:00:10
    await step(new CompletePhaseCommand({ batchRunId: id, phase: 'Load', completedJobs: 2 }), 5); // 14:00:30
    await step(new AppendLogEntriesCommand({ batchRunId: id, entries: [{ level: 'error', message: 'model diverged', phase: 'Score', timestamp: '2026-01-11T14:00:35.000Z' }] }), 25); // 14:00:35
    await step(new CompletePhaseCommand({ batchRunId: id, phase: 'Score', failedJobs: 1, status: 'failed' }), 1); // 14:01:00
    await step(new FinishBatchRunCommand({ batchRunId: id, status: 'failed' }), 0); // 14:01:01
  });
  afterAll(async () => t.close());

  it('rebuilds phases with times, durations and counts, and lists every event', async () => {
    const res = await request(t.baseUrl).get('/api/v1/admin/batch/history/timeline-run/timeline').set('Authorization', admin).expect(200);
    expect(res.body).toMatchObject({
      batch_run_id: 'timeline-run',
      status: 'failed',
      started_at: '2026-01-11T14:00:00.000Z',
      completed_at: '2026-01-11T14:01:01.000Z',
      entry_count: 3,
    });
    expect(res.body.phases).toEqual([
      { name: 'Load', status: 'completed', started_at: '2026-01-11T14:00:10.000Z', completed_at: '2026-01-11T14:00:30.000Z', duration_ms: 20000, entry_count: 2, warning_count: 1, error_count: 0 },
      { name: 'Score', status: 'failed', started_at: '2026-01-11T14:00:35.000Z', completed_at: '2026-01-11T14:01:00.000Z', duration_ms: 25000, entry_count: 1, warning_count: 0, error_count: 1 },
      { name: 'Report', status: 'pending', started_at: null, completed_at: null, duration_ms: null, entry_count: 0, warning_count: 0, error_count: 0 },
    ]);
    expect(res.body.events.map((e: { version: number; type: string }) => [e.version, e.type])).toEqual([
      [1, 'BatchRunStarted'],
      [2, 'LogAppended'],
      [3, 'PhaseCompleted'],
      [4, 'LogAppended'],
      [5, 'PhaseCompleted'],
      [6, 'BatchRunFinished'],
    ]);
    // The events in the shapes the event stream sends (src/batch-runs/read/event-view.ts), snake_case;
    // LogAppended summarised: its entries are what the log download is for.
    expect(res.body.events[0]).toEqual({
      version: 1,
      type: 'BatchRunStarted',
      occurred_at: '2026-01-11T14:00:00.000Z',
      data: { batch_run_id: 'timeline-run', portfolio_id: null, owner_id: null, total_jobs: 0, phases: ['Load', 'Score', 'Report'], started_at: '2026-01-11T14:00:00.000Z', onboarding: false },
    });
    expect(res.body.events[1].data).toEqual({ first_seq: 1, last_seq: 2, entry_count: 2, levels: { info: 1, warning: 1, error: 0 } });
    expect(res.body.events[4].data).toEqual({ phase: 'Score', status: 'failed', completed_jobs: 0, failed_jobs: 1, completed_at: '2026-01-11T14:01:00.000Z', last_seq: 3 });
    expect(res.body.events[5].data).toEqual({ status: 'failed', completed_jobs: 2, failed_jobs: 1, completed_at: '2026-01-11T14:01:01.000Z', last_seq: 3, reason: null });
  });

  it('?at= answers the run as it stood then', async () => {
    const res = await request(t.baseUrl)
      .get('/api/v1/admin/batch/history/timeline-run/timeline')
      .query({ at: '2026-01-11T14:00:40.000Z' })
      .set('Authorization', admin)
      .expect(200);
    expect(res.body).toMatchObject({ status: 'running', completed_at: null, entry_count: 3, at: '2026-01-11T14:00:40.000Z' });
    expect(res.body.phases.map((p: { status: string }) => p.status)).toEqual(['completed', 'running', 'pending']);
    expect(res.body.phases[1].duration_ms).toBe(5000); // running since 14:00:35, seen at 14:00:40
    expect(res.body.events).toHaveLength(4);

    const early = await request(t.baseUrl).get('/api/v1/admin/batch/history/timeline-run/timeline?at=2026-01-11T14:00:05Z').set('Authorization', admin).expect(200);
    expect(early.body).toMatchObject({ status: 'running', entry_count: 0 });
    expect(early.body.events).toHaveLength(1);
  });

  it('is admin-only, 404 for an unknown run, 400 for a bad moment', async () => {
    await request(t.baseUrl).get('/api/v1/admin/batch/history/timeline-run/timeline').set('Authorization', `Bearer ${await tokenFor('user')}`).expect(403);
    await request(t.baseUrl).get('/api/v1/admin/batch/history/timeline-run/timeline').expect(401);
    await request(t.baseUrl).get('/api/v1/admin/batch/history/nope/timeline').set('Authorization', admin).expect(404);
    const bad = await request(t.baseUrl).get('/api/v1/admin/batch/history/timeline-run/timeline?at=yesterday').set('Authorization', admin).expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('at');
  });
});
