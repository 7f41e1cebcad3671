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

describe('BatchRunTracker byte bound', () => {
  const at = '2026-01-11T14:07:11.000Z';
  const big = (id: string, seq: number, chars: number): RecordedRunEvent => ({
    type: 'LogAppended',
    data: { firstSeq: seq, lastSeq: seq, entries: [{ seq, timestamp: at, level: 'info', phase: null, message: 'x'.repeat(chars) }] },
    streamId: id,
    version: seq + 1,
    occurredAt: at,
  });
  const start = (tracker: BatchRunTracker, id: string) => commitEvents(tracker, id, []);
  function commitEvents(tracker: BatchRunTracker, id: string, extra: RecordedRunEvent[], finish = false): void {
    const events: RecordedRunEvent[] = [];
    if (extra.length === 0) {
      events.push({ type: 'BatchRunStarted', data: { batchRunId: id, portfolioId: null, ownerId: null, totalJobs: 0, phases: [], startedAt: at }, streamId: id, version: 1, occurredAt: at });
    }
    events.push(...extra);
    if (finish) events.push({ type: 'BatchRunFinished', data: { status: 'completed', completedJobs: 0, failedJobs: 0, completedAt: at, lastSeq: 1 }, streamId: id, version: 9, occurredAt: at });
    let state = initialRunState(id);
    state = { ...state, exists: true, status: finish ? 'completed' : 'running' };
    tracker.onCommitted(events, new Map([[id, state]]));
  }

  it('evicts finished runs first, then running ones, to stay under LOG_CACHE_MAX_BYTES', () => {
    const tracker = new BatchRunTracker(loadConfig({ LOG_CACHE_MAX_BYTES: String(30_000) }), new ManualClock());
    start(tracker, 'running-old');
    commitEvents(tracker, 'running-old', [big('running-old', 1, 5000)]); // ~10 KB
    start(tracker, 'done');
    commitEvents(tracker, 'done', [big('done', 1, 5000)], true); // ~10 KB
    expect(tracker.bytes).toBeLessThanOrEqual(30_000);
    start(tracker, 'running-new');
    commitEvents(tracker, 'running-new', [big('running-new', 1, 6000)]); // ~12 KB: over the bound
    expect(tracker.get('done') === undefined).toBe(true); // the finished run went first
    expect(tracker.get('running-old') === undefined).toBe(false);
    start(tracker, 'running-newest');
    commitEvents(tracker, 'running-newest', [big('running-newest', 1, 6000)]);
    // then the least recently used running run: running-new (running-old was read just above)
    expect(tracker.get('running-new') === undefined).toBe(true);
    expect(tracker.get('running-old') === undefined).toBe(false);
    expect(tracker.get('running-newest') === undefined).toBe(false);
    expect(tracker.bytes).toBeLessThanOrEqual(30_000);
  });
});
