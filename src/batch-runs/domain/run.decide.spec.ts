/** The rules of a run, as given (past events) / when (command) / then (events or broken rule). */
import { RunCommand } from './run.commands';
import { decide } from './run.decide';
import { RunRuleError } from './run.errors';
import { RunEvent } from './run.events';
import { foldRun } from './run.state';

const NOW = new Date('2026-01-11T14:07:11.123Z');
const ID = 'batch_20260111_140711';

const started: RunEvent = {
  type: 'BatchRunStarted',
  data: { batchRunId: ID, portfolioId: null, ownerId: 'u1', totalJobs: 3, phases: ['Phase 1', 'Phase 2'], startedAt: NOW.toISOString() },
};
const appended = (firstSeq: number, count: number, phase: string | null = 'Phase 1'): RunEvent => {
  const entries = Array.from({ length: count }, (_, i) => ({
    seq: firstSeq + i, timestamp: NOW.toISOString(), level: 'info' as const, phase, message: `line ${firstSeq + i}`,
  }));
  return { type: 'LogAppended', data: { firstSeq, lastSeq: firstSeq + count - 1, entries } };
};
const finished = (status: 'completed' | 'failed' | 'partial'): RunEvent => ({
  type: 'BatchRunFinished',
  data: { status, completedJobs: 1, failedJobs: 0, completedAt: NOW.toISOString(), lastSeq: 0 },
});

function given(...events: RunEvent[]) {
  const state = foldRun(ID, events);
  return {
    when: (command: RunCommand) => ({
      then: () => decide(command, state, NOW),
      thenRejects: (code: string) => {
        let error: unknown;
        try {
          decide(command, state, NOW);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(RunRuleError);
        expect((error as RunRuleError).code).toBe(code);
        return error as RunRuleError;
      },
    }),
  };
}

const append = (entries: Array<Record<string, unknown>>): RunCommand => ({
  kind: 'append',
  input: { batchRunId: ID, entries: entries as never },
});

describe('decide: starting a run', () => {
  it('starts a new run with its declared phases', () => {
    const events = given().when({ kind: 'start', input: { batchRunId: ID, phases: ['A', 'B'], totalJobs: 2 } }).then();
    expect(events).toEqual([
      { type: 'BatchRunStarted', data: expect.objectContaining({ batchRunId: ID, phases: ['A', 'B'], totalJobs: 2, startedAt: NOW.toISOString() }) },
    ]);
  });

  it('refuses a run id that exists', () => {
    given(started).when({ kind: 'start', input: { batchRunId: ID } }).thenRejects('run_exists');
  });

  it('refuses an id outside ^[A-Za-z0-9_.:-]{1,128}$', () => {
    const error = given().when({ kind: 'start', input: { batchRunId: 'has space' } }).thenRejects('invalid_input');
    expect(error.field).toBe('batch_run_id');
    given().when({ kind: 'start', input: { batchRunId: 'x'.repeat(129) } }).thenRejects('invalid_input');
  });

  it('refuses "." and ".." (browsers and fetch resolve such a path segment away), not other dotted ids', () => {
    for (const batchRunId of ['.', '..']) {
      expect(given().when({ kind: 'start', input: { batchRunId } }).thenRejects('invalid_input').field).toBe('batch_run_id');
    }
    for (const batchRunId of ['...', '.a', 'a..b']) expect(given().when({ kind: 'start', input: { batchRunId } }).then()[0].type).toBe('BatchRunStarted');
  });

  it('marks an onboarding run in its start event, and refuses one without a portfolio', () => {
    const portfolioId = '5d9c1f7e-2a4b-4c3d-8e6f-0a1b2c3d4e5f';
    const [event] = given().when({ kind: 'start', input: { batchRunId: ID, portfolioId, onboarding: true } }).then();
    expect(event).toMatchObject({ type: 'BatchRunStarted', data: { portfolioId, onboarding: true } });
    expect(foldRun(ID, [event]).onboarding).toBe(true);
    expect(given().when({ kind: 'start', input: { batchRunId: ID, portfolioId } }).then()[0].data).not.toHaveProperty('onboarding');
    expect(given().when({ kind: 'start', input: { batchRunId: ID, onboarding: true } }).thenRejects('invalid_input').field).toBe('portfolio_id');
  });

  it('refuses duplicate phase names', () => {
    given().when({ kind: 'start', input: { batchRunId: ID, phases: ['A', 'A'] } }).thenRejects('invalid_input');
  });
});

describe('decide: appending entries', () => {
  it('assigns seqs contiguously from 1, in order', () => {
    const [event] = given(started).when(append([{ level: 'info', message: 'a' }, { level: 'warning', message: 'b' }])).then();
    expect(event).toMatchObject({ type: 'LogAppended', data: { firstSeq: 1, lastSeq: 2 } });
    expect((event as Extract<RunEvent, { type: 'LogAppended' }>).data.entries.map((e) => [e.seq, e.message])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('continues after the last stored seq', () => {
    const [event] = given(started, appended(1, 5)).when(append([{ level: 'info', message: 'next' }])).then();
    expect(event).toMatchObject({ data: { firstSeq: 6, lastSeq: 6 } });
  });

  it('does not store again an entry whose seq is already stored (idempotent retry)', () => {
    const events = given(started, appended(1, 3)).when(append([{ level: 'info', message: 'x', seq: 2 }, { level: 'info', message: 'y', seq: 3 }])).then();
    expect(events).toEqual([]);
  });

  it('stores only the new part of a partly retried batch', () => {
    const [event] = given(started, appended(1, 2))
      .when(append([{ level: 'info', message: 'old', seq: 2 }, { level: 'info', message: 'new', seq: 3 }]))
      .then();
    expect(event).toMatchObject({ data: { firstSeq: 3, lastSeq: 3, entries: [expect.objectContaining({ seq: 3, message: 'new' })] } });
  });

  it('refuses a seq that would leave a gap', () => {
    given(started, appended(1, 2)).when(append([{ level: 'info', message: 'x', seq: 5 }])).thenRejects('seq_gap');
  });

  it('refuses an unknown run', () => {
    given().when(append([{ level: 'info', message: 'x' }])).thenRejects('run_not_found');
  });

  it('refuses appends to a finished run', () => {
    given(started, finished('failed')).when(append([{ level: 'info', message: 'x' }])).thenRejects('run_finished');
  });

  it('accepts only info, warning and error as level, naming the field', () => {
    const error = given(started).when(append([{ level: 'info', message: 'ok' }, { level: 'debug', message: 'x' }])).thenRejects('invalid_input');
    expect(error.field).toBe('entries[1].level');
  });

  it('refuses an empty message, an empty list, NUL and bad timestamps', () => {
    given(started).when(append([{ level: 'info', message: '' }])).thenRejects('invalid_input');
    given(started).when(append([])).thenRejects('invalid_input');
    given(started).when(append([{ level: 'info', message: 'a\u0000b' }])).thenRejects('invalid_input');
    given(started).when(append([{ level: 'info', message: 'a', timestamp: 'yesterday' }])).thenRejects('invalid_input');
  });

  it('keeps a given timestamp (normalised to UTC) and defaults the phase to the current one', () => {
    const [event] = given(started).when(append([{ level: 'info', message: 'a', timestamp: '2026-01-11T15:07:11.5+01:00' }])).then();
    expect(event).toMatchObject({ data: { entries: [{ timestamp: '2026-01-11T14:07:11.500Z', phase: 'Phase 1' }] } });
  });

  it('replaces lone surrogates, which UTF-8 cannot hold, with U+FFFD', () => {
    const [event] = given(started).when(append([{ level: 'info', message: 'a\ud800b' }])).then();
    expect(event).toMatchObject({ data: { entries: [{ message: 'a\ufffdb' }] } });
  });
});

describe('decide: phases and finishing', () => {
  it('completes a phase with its counts and the last seq so far', () => {
    const [event] = given(started, appended(1, 4))
      .when({ kind: 'completePhase', input: { batchRunId: ID, phase: 'Phase 1', completedJobs: 2, failedJobs: 1, status: 'failed' } })
      .then();
    expect(event).toMatchObject({ type: 'PhaseCompleted', data: { phase: 'Phase 1', status: 'failed', completedJobs: 2, failedJobs: 1, lastSeq: 4 } });
  });

  it('treats completing a completed phase again as a retry, and a different status as a conflict', () => {
    const done = { type: 'PhaseCompleted', data: { phase: 'Phase 1', status: 'completed', completedJobs: 1, failedJobs: 0, completedAt: NOW.toISOString(), lastSeq: 0 } } as RunEvent;
    expect(given(started, done).when({ kind: 'completePhase', input: { batchRunId: ID, phase: 'Phase 1' } }).then()).toEqual([]);
    given(started, done).when({ kind: 'completePhase', input: { batchRunId: ID, phase: 'Phase 1', status: 'failed' } }).thenRejects('phase_completed');
  });

  it('finishes with the given status; finishing again the same way changes nothing; otherwise 409', () => {
    const [event] = given(started).when({ kind: 'finish', input: { batchRunId: ID, status: 'partial' } }).then();
    expect(event).toMatchObject({ type: 'BatchRunFinished', data: { status: 'partial' } });
    expect(given(started, finished('failed')).when({ kind: 'finish', input: { batchRunId: ID, status: 'failed' } }).then()).toEqual([]);
    given(started, finished('failed')).when({ kind: 'finish', input: { batchRunId: ID, status: 'completed' } }).thenRejects('run_finished');
  });

  it('refuses an unknown finish status and an unknown run', () => {
    given(started).when({ kind: 'finish', input: { batchRunId: ID, status: 'done' as never } }).thenRejects('invalid_input');
    given().when({ kind: 'finish', input: { batchRunId: ID, status: 'completed' } }).thenRejects('run_not_found');
  });

  it('refuses phase completion on a finished run', () => {
    given(started, finished('completed')).when({ kind: 'completePhase', input: { batchRunId: ID, phase: 'Phase 2' } }).thenRejects('run_finished');
  });

  describe('producer ids (OTLP): uid, trace and span', () => {
    const state = foldRun(ID, [started]);
    const append = (entries: object[]): RunCommand => ({ kind: 'append', input: { batchRunId: ID, entries: entries as never } });

    it('an entry whose uid the run holds, or an earlier entry of the command carries, is a retry: not stored again', () => {
      const events = decide(append([{ level: 'info', message: 'a', uid: 'u1' }, { level: 'info', message: 'b', uid: 'u2' }, { level: 'info', message: 'b again', uid: 'u2' }, { level: 'info', message: 'c' }]), state, NOW, undefined, new Set(['u1']));
      expect(events).toHaveLength(1);
      expect((events[0] as Extract<RunEvent, { type: 'LogAppended' }>).data.entries.map((e) => [e.seq, e.message, e.uid])).toEqual([
        [1, 'b', 'u2'],
        [2, 'c', undefined],
      ]);
      expect(decide(append([{ level: 'info', message: 'a', uid: 'u1' }]), state, NOW, undefined, new Set(['u1']))).toEqual([]);
    });

    it('trace and span ids are kept as given, and only when given; other shapes are refused by field', () => {
      const [event] = decide(append([{ level: 'info', message: 'a', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' }, { level: 'info', message: 'b' }]), state, NOW);
      const [a, b] = (event as Extract<RunEvent, { type: 'LogAppended' }>).data.entries;
      expect(a).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
      expect(Object.keys(b)).toEqual(['seq', 'timestamp', 'level', 'phase', 'message']);
      expect(given(started).when(append([{ level: 'info', message: 'a', traceId: 'XYZ' }])).thenRejects('invalid_input').field).toBe('entries[0].trace_id');
      expect(given(started).when(append([{ level: 'info', message: 'a', spanId: '00F067AA0BA902B7' }])).thenRejects('invalid_input').field).toBe('entries[0].span_id');
      expect(given(started).when(append([{ level: 'info', message: 'a', uid: ' ' }])).thenRejects('invalid_input').field).toBe('entries[0].uid');
    });

    it('a start may say when the run started (an OTLP run: its first record), else it is now', () => {
      const start = (startedAt?: string | Date): RunCommand => ({ kind: 'start', input: { batchRunId: 'otlp_1', startedAt } });
      const at = (events: RunEvent[]) => (events[0] as Extract<RunEvent, { type: 'BatchRunStarted' }>).data.startedAt;
      expect(at(decide(start(new Date('2026-01-11T10:00:00.5Z')), foldRun('otlp_1', []), NOW))).toBe('2026-01-11T10:00:00.500Z');
      expect(at(decide(start(), foldRun('otlp_1', []), NOW))).toBe(NOW.toISOString());
    });
  });
});
