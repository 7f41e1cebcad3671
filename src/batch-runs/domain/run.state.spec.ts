import { RunEvent } from './run.events';
import { foldRun } from './run.state';

const at = (s: number) => new Date(Date.UTC(2026, 0, 11, 14, 0, s)).toISOString();

describe('evolve: replaying a run', () => {
  const events: RunEvent[] = [
    { type: 'BatchRunStarted', data: { batchRunId: 'r', portfolioId: 'p', ownerId: 'o', totalJobs: 3, phases: ['A', 'B'], startedAt: at(0) } },
    { type: 'LogAppended', data: { firstSeq: 1, lastSeq: 2, entries: [
      { seq: 1, timestamp: at(1), level: 'info', phase: 'A', message: 'a1' },
      { seq: 2, timestamp: at(2), level: 'info', phase: 'A', message: 'a2' },
    ] } },
    { type: 'PhaseCompleted', data: { phase: 'A', status: 'completed', completedJobs: 2, failedJobs: 0, completedAt: at(3), lastSeq: 2 } },
    { type: 'LogAppended', data: { firstSeq: 3, lastSeq: 3, entries: [{ seq: 3, timestamp: at(4), level: 'error', phase: 'B', message: 'boom' }] } },
    { type: 'PhaseCompleted', data: { phase: 'B', status: 'failed', completedJobs: 0, failedJobs: 1, completedAt: at(5), lastSeq: 3 } },
    { type: 'BatchRunFinished', data: { status: 'failed', completedJobs: 2, failedJobs: 1, completedAt: at(6), lastSeq: 3 } },
  ];

  it('folds to the run as it ended: status, counts, phases with their times', () => {
    const state = foldRun('r', events);
    expect(state).toMatchObject({ version: 6, exists: true, status: 'failed', lastSeq: 3, completedJobs: 2, failedJobs: 1, currentPhase: null, completedAt: at(6) });
    expect(state.phases).toEqual([
      { name: 'A', status: 'completed', startedAt: at(1), completedAt: at(3), completedJobs: 2, failedJobs: 0 },
      { name: 'B', status: 'failed', startedAt: at(4), completedAt: at(5), completedJobs: 0, failedJobs: 1 },
    ]);
  });

  it('knows the current phase while running', () => {
    expect(foldRun('r', events.slice(0, 2)).currentPhase).toBe('A');
    expect(foldRun('r', events.slice(0, 3)).currentPhase).toBe('B');
  });
});

describe('evolve: a run that ends with a phase still open', () => {
  it('closes the open phase with the run: failed unless the run completed', () => {
    const at = '2026-01-11T14:00:00.000Z';
    const started: RunEvent = { type: 'BatchRunStarted', data: { batchRunId: 'r', portfolioId: null, ownerId: null, totalJobs: 1, phases: ['A', 'B'], startedAt: at } };
    const line: RunEvent = { type: 'LogAppended', data: { firstSeq: 1, lastSeq: 1, entries: [{ seq: 1, timestamp: at, level: 'info', phase: 'A', message: 'x' }] } };
    const finished = (status: 'completed' | 'failed'): RunEvent => ({ type: 'BatchRunFinished', data: { status, completedJobs: 0, failedJobs: 0, completedAt: at, lastSeq: 1 } });
    expect(foldRun('r', [started, line, finished('failed')]).phases.map((p) => p.status)).toEqual(['failed', 'pending']);
    expect(foldRun('r', [started, line, finished('completed')]).phases[0]).toMatchObject({ status: 'completed', completedAt: at });
  });
});
