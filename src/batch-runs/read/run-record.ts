/** A run as readers see it: always taken from the committed run row, never assumed. */
import { PhaseState } from '../domain/run.state';
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
    snapshotSeq: row.activity_log_seq,
    hasSnapshot: row.has_snapshot,
    version: row.stream_version,
  };
}
