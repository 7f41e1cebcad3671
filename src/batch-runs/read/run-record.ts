/** A run as readers see it: always taken from the committed run row, never assumed. */
import { PhaseState, RunState } from '../domain/run.state';
import { RunStatus } from '../domain/run.types';
import { RunRow } from '../persistence/run-read.repository';

export interface RunRecord {
  batchRunId: string;
  portfolioId: string | null;
  ownerId: string | null;
  status: RunStatus;
  startedAt: string;
  completedAt: string | null;
  totalJobs: number;
  completedJobs: number;
  failedJobs: number;
  currentPhase: string | null;
  phases: PhaseState[];
  /** The number of entries in the log: seqs are contiguous from 1. */
  entryCount: number;
  /** Entries refused past MAX_ENTRIES_PER_RUN (counted, not stored). */
  droppedEntries: number;
  snapshotSeq: number;
  hasSnapshot: boolean;
  version: number;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    batchRunId: row.batch_run_id,
    portfolioId: row.portfolio_id,
    ownerId: row.owner_id,
    status: row.status,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    totalJobs: row.total_jobs,
    completedJobs: row.completed_jobs,
    failedJobs: row.failed_jobs,
    currentPhase: row.current_phase,
    phases: row.phases,
    entryCount: row.last_seq,
    droppedEntries: row.dropped_entries,
    snapshotSeq: row.activity_log_seq,
    hasSnapshot: row.has_snapshot,
    version: row.stream_version,
  };
}

/** The run as a command left it (for write responses, which must not wait for another read). */
export function recordFromState(state: RunState): RunRecord {
  return {
    batchRunId: state.batchRunId,
    portfolioId: state.portfolioId,
    ownerId: state.ownerId,
    status: state.status,
    startedAt: state.startedAt ?? '',
    completedAt: state.completedAt,
    totalJobs: state.totalJobs,
    completedJobs: state.completedJobs,
    failedJobs: state.failedJobs,
    currentPhase: state.currentPhase,
    phases: state.phases,
    entryCount: state.lastSeq,
    droppedEntries: state.droppedEntries,
    snapshotSeq: 0,
    hasSnapshot: false,
    version: state.version,
  };
}
