import { ManualClock } from '../../common/clock';
import { loadConfig } from '../../config/app.config';
import { RecordedRunEvent } from '../domain/run.events';
import { evolve, initialRunState, RunState } from '../domain/run.state';
import { BatchRunTracker } from './batch-run.tracker';

/** Feeds the tracker the events of a run the way the group committer does after a commit. */
function commit(tracker: BatchRunTracker, id: string, finish: boolean, at: string): void {
  const events: RecordedRunEvent[] = [
    { type: 'BatchRunStarted', data: { batchRunId: id, portfolioId: null, ownerId: null, totalJobs: 0, phases: [], startedAt: at }, streamId: id, version: 1, occurredAt: at },
    { type: 'LogAppended', data: { firstSeq: 1, lastSeq: 1, entries: [{ seq: 1, timestamp: at, level: 'info', phase: null, message: id }] }, streamId: id, version: 2, occurredAt: at },
  ];
  if (finish) events.push({ type: 'BatchRunFinished', data: { status: 'completed', completedJobs: 0, failedJobs: 0, completedAt: at, lastSeq: 1 }, streamId: id, version: 3, occurredAt: at });
  const state = events.reduce<RunState>((s, e) => evolve(s, e), initialRunState(id));
  tracker.onCommitted(events, new Map([[id, state]]));
}

describe('BatchRunTracker', () => {
  const at = '2026-01-11T14:07:11.000Z';

  it('keeps at most LOG_CACHE_MAX_COMPLETED_RUNS finished runs, least recently used out first, and never evicts running ones', () => {
    const tracker = new BatchRunTracker(loadConfig({ LOG_CACHE_MAX_COMPLETED_RUNS: '2' }), new ManualClock());
    commit(tracker, 'running-1', false, at);
    commit(tracker, 'done-a', true, at);
    commit(tracker, 'done-b', true, at);
    tracker.get('done-a'); // a read makes it recent
    commit(tracker, 'done-c', true, at);
    expect(tracker.get('done-b')).toBeUndefined();
    expect(tracker.get('done-a')).toBeDefined();
    expect(tracker.get('done-c')).toBeDefined();
    expect(tracker.get('running-1')?.entries).toHaveLength(1);
  });

  it('drops finished runs after the TTL, but not running ones', () => {
    const clock = new ManualClock();
    const tracker = new BatchRunTracker(loadConfig({ LOG_CACHE_TTL_SECONDS: '60' }), clock);
    commit(tracker, 'running', false, at);
    commit(tracker, 'done', true, at);
    clock.advance(59_999);
    expect(tracker.get('done')).toBeDefined();
    clock.advance(1);
    expect(tracker.get('done')).toBeUndefined();
    clock.advance(10 * 86_400_000);
    expect(tracker.get('running')).toBeDefined();
  });

  it('does not cache a run whose start it did not see, so a cached log is always complete', () => {
    const tracker = new BatchRunTracker(loadConfig({}), new ManualClock());
    const event: RecordedRunEvent = { type: 'LogAppended', data: { firstSeq: 7, lastSeq: 7, entries: [] }, streamId: 'elsewhere', version: 9, occurredAt: at };
    tracker.onCommitted([event], new Map([['elsewhere', initialRunState('elsewhere')]]));
    expect(tracker.get('elsewhere')).toBeUndefined();
  });
});
