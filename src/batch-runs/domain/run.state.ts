/**
 * A run's state is the fold of its events (evolve). It is what the decider needs and what the run row
 * shows; nothing here touches a database. Evolve never mutates: the group committer keeps the last
 * committed state and works on copies until the transaction commits.
 */
import { RunEvent } from './run.events';
import { FinishStatus, PhaseStatus, RunStatus } from './run.types';

export interface PhaseState {
  name: string;
  status: 'pending' | 'running' | PhaseStatus;
  startedAt: string | null;
  completedAt: string | null;
  completedJobs: number;
  failedJobs: number;
}

export interface RunState {
  batchRunId: string;
  /** Number of events in the stream: the version the next event gets is version + 1. */
  version: number;
  exists: boolean;
  status: RunStatus;
  portfolioId: string | null;
  ownerId: string | null;
  /** An onboarding run: at most one of a portfolio is running at a time. */
  onboarding: boolean;
  startedAt: string | null;
  completedAt: string | null;
  totalJobs: number;
  completedJobs: number;
  failedJobs: number;
  lastSeq: number;
  /** Phases in the order they were declared or first seen. */
  phases: PhaseState[];
  currentPhase: string | null;
  /** Entries refused past MAX_ENTRIES_PER_RUN, and the seq of the warning that marks the cut. */
  droppedEntries: number;
  logCutAt: number | null;
}

export function initialRunState(batchRunId: string): RunState {
  return {
    batchRunId,
    version: 0,
    exists: false,
    status: 'running',
    portfolioId: null,
    ownerId: null,
    onboarding: false,
    startedAt: null,
    completedAt: null,
    totalJobs: 0,
    completedJobs: 0,
    failedJobs: 0,
    lastSeq: 0,
    phases: [],
    currentPhase: null,
    droppedEntries: 0,
    logCutAt: null,
  };
}

export function isFinished(state: RunState): boolean {
  return state.status !== 'running';
}

export function evolve(state: RunState, event: RunEvent): RunState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'BatchRunStarted': {
      const d = event.data;
      const phases = d.phases.map((name) => pendingPhase(name));
      return {
        ...next,
        exists: true,
        status: 'running',
        portfolioId: d.portfolioId,
        ownerId: d.ownerId,
        onboarding: d.onboarding === true,
        startedAt: d.startedAt,
        totalJobs: d.totalJobs,
        phases,
        currentPhase: phases[0]?.name ?? null,
      };
    }
    case 'LogAppended': {
      let phases = next.phases;
      let currentPhase = next.currentPhase;
      // Entries name their phase; a phase starts with its first entry.
      for (const entry of event.data.entries ?? []) {
        if (entry.phase === null) continue;
        phases = startPhase(phases, entry.phase, entry.timestamp);
        currentPhase = entry.phase;
      }
      return { ...next, lastSeq: Math.max(next.lastSeq, event.data.lastSeq), phases, currentPhase };
    }
    case 'PhaseCompleted': {
      const d = event.data;
      const phases = startPhase(next.phases, d.phase, d.completedAt).map((p) =>
        p.name === d.phase
          ? { ...p, status: d.status, completedAt: d.completedAt, completedJobs: d.completedJobs, failedJobs: d.failedJobs }
          : p,
      );
      return {
        ...next,
        phases,
        completedJobs: next.completedJobs + d.completedJobs,
        failedJobs: next.failedJobs + d.failedJobs,
        currentPhase: nextOpenPhase(phases),
      };
    }
    case 'LogEntriesDropped':
      return { ...next, droppedEntries: next.droppedEntries + event.data.count, logCutAt: event.data.cutAtSeq };
    case 'BatchRunFinished': {
      const d = event.data;
      // A phase still open when its run ends ended with it: completed if the run did, failed otherwise.
      const closed: PhaseState['status'] = d.status === 'completed' ? 'completed' : 'failed';
      const phases = next.phases.map((p) => (p.status === 'running' ? { ...p, status: closed, completedAt: d.completedAt } : p));
      return {
        ...next,
        phases,
        status: d.status as FinishStatus,
        completedAt: d.completedAt,
        completedJobs: d.completedJobs,
        failedJobs: d.failedJobs,
        currentPhase: null,
      };
    }
  }
}

export function foldRun(batchRunId: string, events: Iterable<RunEvent>): RunState {
  let state = initialRunState(batchRunId);
  for (const event of events) state = evolve(state, event);
  return state;
}

function pendingPhase(name: string): PhaseState {
  return { name, status: 'pending', startedAt: null, completedAt: null, completedJobs: 0, failedJobs: 0 };
}

function startPhase(phases: PhaseState[], name: string, at: string): PhaseState[] {
  const existing = phases.find((p) => p.name === name);
  if (!existing) return [...phases, { ...pendingPhase(name), status: 'running', startedAt: at }];
  if (existing.status !== 'pending') return phases;
  return phases.map((p) => (p.name === name ? { ...p, status: 'running' as const, startedAt: at } : p));
}

function nextOpenPhase(phases: PhaseState[]): string | null {
  return phases.find((p) => p.status === 'running' || p.status === 'pending')?.name ?? null;
}
