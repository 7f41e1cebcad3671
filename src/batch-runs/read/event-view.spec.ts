import { RecordedRunEvent } from '../domain/run.events';
import { toEventView } from './event-view';

const at = '2026-01-11T14:07:11.000Z';
const recorded = (event: Omit<RecordedRunEvent, 'streamId' | 'occurredAt'> & { version: number }): RecordedRunEvent =>
  ({ ...event, streamId: 'r', occurredAt: at }) as RecordedRunEvent;

describe('toEventView', () => {
  it('given a start stored before onboarding existed, shows owner, portfolio and onboarding as explicit values', () => {
    const old = recorded({ type: 'BatchRunStarted', version: 1, data: { batchRunId: 'r', portfolioId: null, ownerId: null, totalJobs: 3, phases: ['A'], startedAt: at } });
    expect(toEventView(old, { entries: true })).toEqual({
      version: 1,
      type: 'BatchRunStarted',
      occurred_at: at,
      data: { batch_run_id: 'r', portfolio_id: null, owner_id: null, total_jobs: 3, phases: ['A'], started_at: at, onboarding: false },
    });
  });

  it('given a log append, summarises it the same way with or without its entries, and copies only the documented entry fields', () => {
    const entries = [
      { seq: 4, timestamp: at, level: 'info' as const, phase: null, message: 'a' },
      { seq: 5, timestamp: at, level: 'error' as const, phase: 'P', message: 'b', extra: 'not documented' },
    ];
    const event = recorded({ type: 'LogAppended', version: 2, data: { firstSeq: 4, lastSeq: 5, entries } });
    const summary = { first_seq: 4, last_seq: 5, entry_count: 2, levels: { info: 1, warning: 0, error: 1 } };
    expect(toEventView(event, { entries: false }).data).toEqual(summary);
    expect(toEventView(event, { entries: true }).data).toEqual({
      ...summary,
      entries: [
        { seq: 4, timestamp: at, level: 'info', phase: null, message: 'a' },
        { seq: 5, timestamp: at, level: 'error', phase: 'P', message: 'b' },
      ],
    });
  });

  it('given a phase end, a cut and a finish without a reason, shows them in snake_case with reason null', () => {
    const views = [
      recorded({ type: 'PhaseCompleted', version: 3, data: { phase: 'P', status: 'failed', completedJobs: 1, failedJobs: 2, completedAt: at, lastSeq: 5 } }),
      recorded({ type: 'LogEntriesDropped', version: 4, data: { count: 7, cutAtSeq: 5 } }),
      recorded({ type: 'BatchRunFinished', version: 5, data: { status: 'partial', completedJobs: 1, failedJobs: 2, completedAt: at, lastSeq: 5 } }),
    ].map((e) => toEventView(e, { entries: true }).data);
    expect(views).toEqual([
      { phase: 'P', status: 'failed', completed_jobs: 1, failed_jobs: 2, completed_at: at, last_seq: 5 },
      { count: 7, cut_at_seq: 5 },
      { status: 'partial', completed_jobs: 1, failed_jobs: 2, completed_at: at, last_seq: 5, reason: null },
    ]);
  });
});
