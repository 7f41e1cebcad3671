/**
 * What a producer asks of a run. These are the decider's inputs: plain data, validated at the edge
 * (HTTP DTOs) and again by the decider, which owns the rules.
 */
import { FinishStatus, PhaseStatus } from './run.types';

export interface StartRunInput {
  batchRunId: string;
  portfolioId?: string | null;
  ownerId?: string | null;
  totalJobs?: number;
  phases?: string[];
  /** When the run started, if not now (an OTLP run starts at its first record's time). */
  startedAt?: string | Date | null;
  /** An onboarding run: at most one of a portfolio runs at a time (a unique index, see the migration 1764700000000). */
  onboarding?: boolean;
}

export interface NewLogEntry {
  level: string;
  message: string;
  /** null, like undefined, is "not given" (for every optional field). */
  timestamp?: string | Date | null;
  phase?: string | null;
  /** Set by producers that retry: an entry whose seq is already stored is not stored again. */
  seq?: number | null;
  /** The producer's own id of the entry (OTLP log.record.uid): an entry whose uid the run holds is not stored again. */
  uid?: string | null;
  /** The trace and span the entry was written in (lower-case hex), kept with it and shown in downloads. */
  traceId?: string | null;
  spanId?: string | null;
}

export interface AppendInput {
  batchRunId: string;
  entries: NewLogEntry[];
}

export interface CompletePhaseInput {
  batchRunId: string;
  phase: string;
  completedJobs?: number;
  failedJobs?: number;
  status?: PhaseStatus;
}

export interface FinishRunInput {
  batchRunId: string;
  status: FinishStatus;
  completedJobs?: number;
  failedJobs?: number;
}

/** Finish a run whose writer went silent: runlog's own verdict, with an error entry saying why. */
export interface InterruptRunInput {
  batchRunId: string;
  reason: string;
}

export type RunCommand =
  | { kind: 'start'; input: StartRunInput }
  | { kind: 'append'; input: AppendInput }
  | { kind: 'completePhase'; input: CompletePhaseInput }
  | { kind: 'finish'; input: FinishRunInput }
  | { kind: 'interrupt'; input: InterruptRunInput };
