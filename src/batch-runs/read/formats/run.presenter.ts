/** The run as the API shows it, wherever a run is returned. */
import { RunRecord } from '../run-record';

export interface RunJson {
  batch_run_id: string;
  portfolio_id: string | null;
  owner_id: string | null;
  status: string;
  started_at: string;
  completed_at: string | null;
  total_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  dropped_entries: number;
}

export function presentRun(run: RunRecord): RunJson {
  return {
    batch_run_id: run.batchRunId,
    portfolio_id: run.portfolioId,
    owner_id: run.ownerId,
    status: run.status,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    total_jobs: run.totalJobs,
    completed_jobs: run.completedJobs,
    failed_jobs: run.failedJobs,
    dropped_entries: run.droppedEntries,
  };
}

/** The run with what its details page needs: the log's size and its phases. */
export function presentRunDetails(run: RunRecord) {
  return {
    ...presentRun(run),
    current_phase: run.currentPhase,
    log_entry_count: run.entryCount,
    phases: run.phases.map((p) => ({
      name: p.name,
      status: p.status,
      started_at: p.startedAt,
      completed_at: p.completedAt,
      completed_jobs: p.completedJobs,
      failed_jobs: p.failedJobs,
    })),
  };
}

export function progressPercent(run: RunRecord): number {
  if (run.status === 'completed') return 100;
  if (run.totalJobs <= 0) return 0;
  return Math.min(100, Math.round(((run.completedJobs + run.failedJobs) / run.totalJobs) * 100));
}
