import { ManualClock } from '../../common/clock';
import { loadConfig } from '../../config/app.config';
import { RecordedRunEvent } from '../domain/run.events';
import { evolve, initialRunState, RunState } from '../domain/run.state';
import { BatchRunTracker, entryBytes, stringBytes } from './batch-run.tracker';

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

  it('a commit drops the finished runs past their TTL in the order they finished, and only those (not a run started again)', () => {
    const clock = new ManualClock();
    const tracker = new BatchRunTracker(loadConfig({ LOG_CACHE_TTL_SECONDS: '60' }), clock);
    commit(tracker, 'first', true, at);
    clock.advance(30_000);
    commit(tracker, 'second', true, at);
    commit(tracker, 'again', true, at);
    commit(tracker, 'again', false, at); // started again: running now, its old finish forgotten
    clock.advance(30_000); // 'first' is 60 s old, 'second' and the first 'again' 30 s
    commit(tracker, 'other', false, at); // any commit evicts
    expect(tracker.size).toBe(3);
    expect(tracker.get('second')).toBeDefined();
    expect(tracker.get('again')?.finishedAtMs).toBeNull();
    clock.advance(30_000);
    commit(tracker, 'other-2', false, at);
    expect(tracker.get('second')).toBeUndefined();
    clock.advance(10 * 86_400_000);
    commit(tracker, 'other-3', false, at);
    expect(tracker.get('again')).toBeDefined(); // a running run never expires
    expect(tracker.size).toBe(4); // again, other, other-2, other-3
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
    const tracker = new BatchRunTracker(loadConfig({ LOG_CACHE_MAX_BYTES: String(15_000) }), new ManualClock());
    start(tracker, 'running-old');
    commitEvents(tracker, 'running-old', [big('running-old', 1, 5000)]); // ~6 KB (one byte per character, and the run)
    start(tracker, 'done');
    commitEvents(tracker, 'done', [big('done', 1, 5000)], true); // ~6 KB
    expect(tracker.estimatedBytes).toBeLessThanOrEqual(15_000);
    start(tracker, 'running-new');
    commitEvents(tracker, 'running-new', [big('running-new', 1, 6000)]); // ~7 KB: over the bound
    expect(tracker.get('done') === undefined).toBe(true); // the finished run went first
    expect(tracker.get('running-old') === undefined).toBe(false);
    start(tracker, 'running-newest');
    commitEvents(tracker, 'running-newest', [big('running-newest', 1, 6000)]);
    // then the least recently used running run: running-new (running-old was read just above)
    expect(tracker.get('running-new') === undefined).toBe(true);
    expect(tracker.get('running-old') === undefined).toBe(false);
    expect(tracker.get('running-newest') === undefined).toBe(false);
    expect(tracker.estimatedBytes).toBeLessThanOrEqual(15_000);
  });

  it('never holds more than LOG_CACHE_MAX_BYTES after a commit, and its count is the sum of what it holds', () => {
    const bound = 200_000;
    const tracker = new BatchRunTracker(loadConfig({ LOG_CACHE_MAX_BYTES: String(bound), LOG_CACHE_MAX_COMPLETED_RUNS: '1000' }), new ManualClock());
    let random = 7;
    const next = (n: number) => ((random = (random * 1103515245 + 12345) % 2 ** 31) % n);
    const seqs = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      const id = `run-${next(12)}`;
      if (!seqs.has(id)) {
        start(tracker, id);
        seqs.set(id, 0);
      }
      const seq = seqs.get(id)! + 1;
      const finish = next(40) === 0;
      const message = (next(2) ? 'é' : '日').repeat(1 + next(3000)); // one or two bytes a character
      commitEvents(tracker, id, [{ ...big(id, seq, 0), data: { firstSeq: seq, lastSeq: seq, entries: [{ seq, timestamp: at, level: 'info', phase: null, message }] } }], finish);
      seqs.set(id, seq);
      // Finished or evicted: its next commit starts it anew (as after retention), which must not count it twice.
      if (finish || tracker.get(id) === undefined) seqs.delete(id);
      expect(tracker.estimatedBytes).toBeLessThanOrEqual(bound);
    }
    for (let i = 0; i < 12; i += 1) tracker.drop(`run-${i}`);
    expect(tracker.estimatedBytes).toBe(0);
  });
});

describe('BatchRunTracker estimate', () => {
  const at = '2026-01-11T14:07:11.000Z';

  it('counts one byte per character for Latin-1 text and two beyond it, as V8 stores them', () => {
    expect(stringBytes('a'.repeat(100))).toBe(16 + 104); // header, then characters rounded up to 8 bytes
    expect(stringBytes('é'.repeat(100))).toBe(16 + 104); // Latin-1: still one byte each
    expect(stringBytes('a'.repeat(99) + '日')).toBe(16 + 200);
    expect(stringBytes('🚀')).toBe(16 + 8); // a surrogate pair: two UTF-16 code units
    const entry = { seq: 1, timestamp: at, level: 'info' as const, phase: 'load', message: 'x'.repeat(200) };
    expect(entryBytes(entry)).toBe(64 + 10 + stringBytes(at) + stringBytes('load') + stringBytes('x'.repeat(200)));
  });

  it('caches its own copy of each entry, sharing the timestamp and the phase name with the entries before it', () => {
    const tracker = new BatchRunTracker(loadConfig({}), new ManualClock());
    const id = 'copies';
    const entries = [1, 2, 3].map((seq) => ({ seq, timestamp: at, level: 'info' as const, phase: `phase-${'p'.repeat(20)}`, message: `line ${seq} ${'m'.repeat(30)}` }));
    const events: RecordedRunEvent[] = [
      { type: 'BatchRunStarted', data: { batchRunId: id, portfolioId: null, ownerId: null, totalJobs: 0, phases: [], startedAt: at }, streamId: id, version: 1, occurredAt: at },
      { type: 'LogAppended', data: { firstSeq: 1, lastSeq: 3, entries }, streamId: id, version: 2, occurredAt: at },
    ];
    tracker.onCommitted(events, new Map([[id, { ...initialRunState(id), exists: true }]]));
    const cached = tracker.get(id)!.entries;
    expect(cached).toEqual(entries);
    expect(cached[0]).not.toBe(entries[0]);
    // Counted once: the run, three entries, one timestamp, one phase name.
    expect(tracker.estimatedBytes).toBe(1024 + 3 * (64 + 10) + stringBytes(at) + stringBytes(entries[0].phase) + entries.reduce((n, e) => n + stringBytes(e.message), 0));
  });
});
