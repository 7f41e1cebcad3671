/**
 * The facts a batch run's stream is made of. Events are plain, serialisable objects (stored as JSONB),
 * named in the past tense; the stream of one run is the single source of truth for it.
 */
import { LogLevel, RunStatus, PhaseStatus, FinishStatus } from './run.types';

export interface StoredLogEntry {
  seq: number;
  timestamp: string; // ISO 8601 UTC
  level: LogLevel;
  phase: string | null;
  message: string;
  /** Present only when the producer gave them (OTLP records): absent keys keep every other entry as small as before. */
  traceId?: string;
  spanId?: string;
  /** The producer's id of the entry (log.record.uid), unique within the run; not shown in downloads. */
  uid?: string;
}

export interface BatchRunStarted {
  type: 'BatchRunStarted';
  data: {
    batchRunId: string;
    portfolioId: string | null;
    ownerId: string | null;
    totalJobs: number;
    phases: string[];
    startedAt: string;
    /** Present (true) on onboarding runs only; older events have no such field. */
    onboarding?: true;
  };
}

export interface LogAppended {
  type: 'LogAppended';
  /** firstSeq/lastSeq let a state loader fold the stream without reading the entries themselves. */
  data: { firstSeq: number; lastSeq: number; entries: StoredLogEntry[] };
}

export interface PhaseCompleted {
  type: 'PhaseCompleted';
  data: {
    phase: string;
    status: PhaseStatus;
    completedJobs: number;
    failedJobs: number;
    completedAt: string;
    /** The last seq when the phase ended: the snapshot written for this event covers 1..lastSeq. */
    lastSeq: number;
  };
}

/** Entries not stored because the run reached MAX_ENTRIES_PER_RUN: counted, never silently lost. */
export interface LogEntriesDropped {
  type: 'LogEntriesDropped';
  data: { count: number; cutAtSeq: number };
}

export interface BatchRunFinished {
  type: 'BatchRunFinished';
  data: {
    status: FinishStatus;
    completedJobs: number;
    failedJobs: number;
    completedAt: string;
    lastSeq: number;
    /** Set when runlog itself finished the run (its writer stopped heartbeating). */
    reason?: string;
  };
}

export type RunEvent = BatchRunStarted | LogAppended | PhaseCompleted | BatchRunFinished | LogEntriesDropped;
export type RunEventType = RunEvent['type'];

/** An event as the store holds it: its place in the stream and when it was recorded. */
export type RecordedRunEvent = RunEvent & { streamId: string; version: number; occurredAt: string };

export const RUN_EVENT_TYPES: readonly RunEventType[] = [
  'BatchRunStarted',
  'LogAppended',
  'PhaseCompleted',
  'BatchRunFinished',
  'LogEntriesDropped',
];

/** Whether an event closes a chapter of the log, so a JSONB snapshot is written for it. */
export function writesSnapshot(event: RunEvent): event is PhaseCompleted | BatchRunFinished {
  return event.type === 'PhaseCompleted' || event.type === 'BatchRunFinished';
}

export type { RunStatus };
