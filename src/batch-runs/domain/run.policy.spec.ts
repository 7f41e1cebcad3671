/** The configurable rules: the per-run entry cap, secret masking, and runlog's own interruption of silent runs. */
import fc from 'fast-check';
import { decide } from './run.decide';
import { RunEvent } from './run.events';
import { compileRedactor, DEFAULT_REDACT_PATTERNS, RunPolicy } from './run.policy';
import { foldRun } from './run.state';

const NOW = new Date('2026-01-11T14:07:11.123Z');
const started: RunEvent = {
  type: 'BatchRunStarted',
  data: { batchRunId: 'r', portfolioId: null, ownerId: null, totalJobs: 1, phases: ['P'], startedAt: NOW.toISOString() },
};
const policy = (maxEntriesPerRun: number): RunPolicy => ({ maxEntriesPerRun, redact: (t) => t });
const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ level: 'info', message: `m${from + i}` }));
const append = (entries: Array<{ level: string; message: string; seq?: number }>) => ({ kind: 'append' as const, input: { batchRunId: 'r', entries } });

describe('the per-run entry cap', () => {
  it('stores up to the cap, with a warning in the last slot, and counts the rest', () => {
    const events = decide(append(lines(7)), foldRun('r', [started]), NOW, policy(5));
    expect(events).toHaveLength(2);
    const [appended, dropped] = events as [Extract<RunEvent, { type: 'LogAppended' }>, Extract<RunEvent, { type: 'LogEntriesDropped' }>];
    expect(appended.data.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(appended.data.entries.slice(0, 4).map((e) => e.message)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(appended.data.entries[4]).toMatchObject({ level: 'warning', message: expect.stringContaining('log cut at 5 entries') });
    expect(dropped.data).toEqual({ count: 3, cutAtSeq: 5 }); // m5, m6, m7
    const state = foldRun('r', [started, ...events]);
    expect(state).toMatchObject({ lastSeq: 5, droppedEntries: 3, logCutAt: 5 });

    // After the cut, everything new is only counted.
    expect(decide(append(lines(4)), state, NOW, policy(5))).toEqual([{ type: 'LogEntriesDropped', data: { count: 4, cutAtSeq: 5 } }]);
  });

  it('does not count a retried entry that was stored before the cut', () => {
    const state = foldRun('r', [started, ...decide(append(lines(9)), foldRun('r', [started]), NOW, policy(5))]);
    expect(decide(append([{ level: 'info', message: 'm2', seq: 2 }]), state, NOW, policy(5))).toEqual([]);
  });

  it('a batch that exactly fills the cap-1 slots is not cut', () => {
    const events = decide(append(lines(4)), foldRun('r', [started]), NOW, policy(5));
    expect(events.map((e) => e.type)).toEqual(['LogAppended']);
  });
});

describe('secret masking', () => {
  const redact = compileRedactor(DEFAULT_REDACT_PATTERNS);
  it.each([
    ['Authorization: Bearer abc.DEF-123_x', 'Authorization: Bearer ***'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_1 sent', 'token *** sent'],
    ['connecting to postgres://app:s3cr3t@db.internal:5432/prod', 'connecting to postgres://app:***@db.internal:5432/prod'],
    ['key AKIAIOSFODNN7EXAMPLE used', 'key *** used'],
    ['login password=hunter2&user=bob', 'login password=***&user=bob'],
    ['api_key: 12345abcdef', 'api_key: ***'],
  ])('masks %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary lines alone', () => {
    expect(redact('Valued 42 positions; market value $3.2M (bearer bonds excluded)')).toBe('Valued 42 positions; market value $3.2M (bearer bonds excluded)');
  });

  it('is applied by the decider, so the event already holds the masked text', () => {
    const [event] = decide(append([{ level: 'error', message: 'db url postgres://u:pw@h/db' }]), foldRun('r', [started]), NOW, { maxEntriesPerRun: 100, redact });
    expect(JSON.stringify(event)).not.toContain(':pw@');
  });

  it('masks exactly what the patterns applied one after another mask, though it skips the defaults on lines that cannot hold them', () => {
    // The reference: every pattern, in order, on every line (what compileRedactor did before it learnt to skip).
    const sequential = (patterns: readonly string[]) => (text: string) => patterns.reduce((out, p) => out.replace(new RegExp(p, 'gi'), '***'), text);
    const withExtra = [...DEFAULT_REDACT_PATTERNS, 'secret-[0-9]+', 'x{3,}'];
    // Lines built from the pieces the patterns need, in any case, among ordinary text.
    const piece = fc.constantFrom(
      'Bearer ', 'bearer ', 'BEARER\t', 'abc.DEF-123_x', 'eyJ', 'EYJ', 'eyJhbGciOi', '.', 'sig-nature', '://', 'postgres://', 'u:', 'pw', '@', 'h/db',
      'AKIA', 'akia', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'IOSFODNN7EXAMPLE', 'password', 'PassWord', 'passwd', 'pwd', 'secret', 'api_key', 'api-key', 'apikey',
      'access_token', 'access-token', 'token', 'TOKEN', '=', ':', ' ', '&', ';', ',', '"', "'", 'hunter2', '12345', 'secret-42', 'xxx', '***', 'bonds', '\n',
      // A whole match of each default pattern, so that a line holding one (in any case, among other pieces) is common.
      'Bearer abc.DEF-123_x', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'postgres://app:s3cr3t@db', 'AKIAIOSFODNN7EXAMPLE', 'password=hunter2', 'api_key: 12345',
      'passwd=x1', 'pwd: x1', 'secret=x1', 'apikey=x1', 'access-token: x1', 'token=x1', 'ASIAIOSFODNN7EXAMPLE', 'AGPAIOSFODNN7EXAMPLE', 'AIDAIOSFODNN7EXAMPLE', 'AROAIOSFODNN7EXAMPLE',
    );
    const cased = fc.tuple(piece, fc.constantFrom<(t: string) => string>((t) => t, (t) => t.toUpperCase(), (t) => t.toLowerCase())).map(([t, f]) => f(t));
    const line = fc.oneof(fc.array(cased, { maxLength: 12 }).map((parts) => parts.join('')), fc.string({ maxLength: 40 }));
    for (const patterns of [DEFAULT_REDACT_PATTERNS, withExtra]) {
      const guarded = compileRedactor(patterns);
      const reference = sequential(patterns);
      fc.assert(fc.property(line, (text) => guarded(text) === reference(text)), { numRuns: 5000, seed: 20261203 });
    }
  });

  it('refuses an invalid pattern at start-up, naming it', () => {
    expect(() => compileRedactor(['(unclosed'])).toThrow(/REDACT_PATTERNS: invalid regular expression "\(unclosed"/);
  });
});

describe('interrupting a silent run', () => {
  it('adds an error entry saying why and finishes the run as failed', () => {
    const events = decide({ kind: 'interrupt', input: { batchRunId: 'r', reason: 'interrupted: no heartbeat' } }, foldRun('r', [started]), NOW, policy(10));
    expect(events.map((e) => e.type)).toEqual(['LogAppended', 'BatchRunFinished']);
    expect(events[0]).toMatchObject({ data: { entries: [{ seq: 1, level: 'error', message: 'interrupted: no heartbeat' }] } });
    expect(events[1]).toMatchObject({ data: { status: 'failed', lastSeq: 1, reason: 'interrupted: no heartbeat' } });
  });

  it('changes nothing on a run that finished meanwhile', () => {
    const finished: RunEvent = { type: 'BatchRunFinished', data: { status: 'completed', completedJobs: 1, failedJobs: 0, completedAt: NOW.toISOString(), lastSeq: 0 } };
    expect(decide({ kind: 'interrupt', input: { batchRunId: 'r', reason: 'x' } }, foldRun('r', [started, finished]), NOW, policy(10))).toEqual([]);
  });
});
