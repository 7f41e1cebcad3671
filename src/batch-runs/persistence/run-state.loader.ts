/**
 * Loads the committed state of runs the committer has not cached. The run row is the fold of the
 * run's events as of stream_version, written in the same transaction as those events, so reading it
 * is reading the fold without replaying a long stream. The unique (stream, version) key still guards
 * every append: a stale state can only ever cause a retry, never a wrong write.
 */
import { Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { initialRunState, PhaseState, RunState } from '../domain/run.state';
import { RunStatus } from '../domain/run.types';
import { SQL } from './run.sql';

export interface RunStateRow {
  batch_run_id: string;
  status: RunStatus;
  started_at: string;
  completed_at: string | null;
  total_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  portfolio_id: string | null;
  owner_id: string | null;
  onboarding: boolean;
  last_seq: number;
  current_phase: string | null;
  phases: PhaseState[];
  stream_version: number;
  dropped_entries: number;
  log_cut_at: number | null;
}

@Injectable()
export class RunStateLoader {
  async load(client: Pick<ClientBase, 'query'>, ids: string[]): Promise<Map<string, RunState>> {
    const states = new Map(ids.map((id) => [id, initialRunState(id)] as const));
    if (ids.length === 0) return states;
    const { rows } = await client.query<RunStateRow>({ ...SQL.selectRunStates, values: [ids] });
    for (const row of rows) states.set(row.batch_run_id, rowToState(row));
    return states;
  }
}

export function rowToState(row: RunStateRow): RunState {
  return {
    batchRunId: row.batch_run_id,
    version: row.stream_version,
    exists: true,
    status: row.status,
    portfolioId: row.portfolio_id,
    ownerId: row.owner_id,
    onboarding: row.onboarding,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    totalJobs: row.total_jobs,
    completedJobs: row.completed_jobs,
    failedJobs: row.failed_jobs,
    lastSeq: row.last_seq,
    phases: row.phases,
    currentPhase: row.current_phase,
    droppedEntries: row.dropped_entries,
    logCutAt: row.log_cut_at,
  };
}
