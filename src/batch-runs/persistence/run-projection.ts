/**
 * The inline projection: run inside the same transaction as the events it projects, so the read
 * model is exactly as durable as what was acknowledged. The live path writes it as part of the group
 * commit's one statement (GroupWriter); a projection rebuild uses the statements here, which derive
 * the same rows the same way (entries from the events' payloads, run rows from the fold).
 */
import { Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { RecordedRunEvent, writesSnapshot } from '../domain/run.events';
import { RunState } from '../domain/run.state';
import { SQL } from './run.sql';

export interface RunRowInput {
  state: RunState;
  /** When the last event folded into the state occurred (so a rebuild writes the same value). */
  updatedAt: string;
}

@Injectable()
export class RunProjection {
  /** The entry rows of these events' LogAppended payloads. */
  async insertEntries(client: ClientBase, events: RecordedRunEvent[]): Promise<void> {
    const appended = events.filter((e) => e.type === 'LogAppended' && e.data.entries.length > 0);
    if (appended.length === 0) return;
    const payloads = appended.map((e) => ({ stream_id: e.streamId, payload: e.data }));
    await client.query({ ...SQL.insertEntries, values: [JSON.stringify(payloads)] });
  }

  async upsertRuns(client: ClientBase, runs: RunRowInput[]): Promise<void> {
    if (runs.length === 0) return;
    await client.query({ ...SQL.upsertRuns, values: [runRowsDocument(runs)] });
  }

  /** Returns whether the snapshot moved; an older write than the stored one changes nothing. */
  async writeSnapshot(client: Pick<ClientBase, 'query'>, streamId: string, lastSeq: number): Promise<boolean> {
    const result = await client.query({ ...SQL.writeSnapshot, values: [streamId, lastSeq] });
    return (result.rowCount ?? 0) > 0;
  }
}

/** The run rows of a group: each touched run's state, stamped with its newest event's time. */
export function runRowsOf(events: RecordedRunEvent[], states: Iterable<RunState>): RunRowInput[] {
  const updatedAt = new Map(events.map((e) => [e.streamId, e.occurredAt] as const));
  return [...states].map((state) => ({ state, updatedAt: updatedAt.get(state.batchRunId)! }));
}

/** The run rows as the one JSON document the upsert reads with jsonb_to_recordset. */
export function runRowsDocument(runs: RunRowInput[]): string {
  return JSON.stringify(
    runs.map(({ state: s, updatedAt }) => ({
      batch_run_id: s.batchRunId,
      status: s.status,
      started_at: s.startedAt,
      completed_at: s.completedAt,
      total_jobs: s.totalJobs,
      completed_jobs: s.completedJobs,
      failed_jobs: s.failedJobs,
      portfolio_id: s.portfolioId,
      owner_id: s.ownerId,
      onboarding: s.onboarding,
      last_seq: s.lastSeq,
      current_phase: s.currentPhase,
      phases: s.phases,
      stream_version: s.version,
      dropped_entries: s.droppedEntries,
      log_cut_at: s.logCutAt,
      updated_at: updatedAt,
    })),
  );
}

/** Per stream, the last seq the newest phase end or finish among these events covers: the snapshots they call for. */
export function snapshotTargets(events: RecordedRunEvent[]): Map<string, number> {
  const targets = new Map<string, number>();
  for (const e of events) {
    if (writesSnapshot(e)) targets.set(e.streamId, Math.max(targets.get(e.streamId) ?? 0, e.data.lastSeq));
  }
  return targets;
}
