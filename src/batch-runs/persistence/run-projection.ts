/**
 * The inline projection: run inside the same transaction as the events it projects, so the read
 * model is exactly as durable as what was acknowledged. One statement per table per group.
 */
import { Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { RecordedRunEvent, StoredLogEntry, writesSnapshot } from '../domain/run.events';
import { RunState } from '../domain/run.state';
import { SQL } from './run.sql';

@Injectable()
export class RunProjection {
  async apply(client: ClientBase, events: RecordedRunEvent[], states: Iterable<RunState>): Promise<void> {
    await this.insertEntries(client, events);
    const updatedAt = new Map(events.map((e) => [e.streamId, e.occurredAt] as const));
    await this.upsertRuns(client, [...states].map((state) => ({ state, updatedAt: updatedAt.get(state.batchRunId)! })));
    for (const [streamId, lastSeq] of snapshotTargets(events)) {
      await this.writeSnapshot(client, streamId, lastSeq);
    }
  }

  async insertEntries(client: ClientBase, events: RecordedRunEvent[]): Promise<void> {
    const rows: Array<StoredLogEntry & { runId: string }> = [];
    for (const e of events) {
      if (e.type === 'LogAppended') for (const entry of e.data.entries) rows.push({ ...entry, runId: e.streamId });
    }
    if (rows.length === 0) return;
    await client.query({
      ...SQL.insertEntries,
      values: [
        rows.map((r) => r.runId),
        rows.map((r) => r.seq),
        rows.map((r) => r.timestamp),
        rows.map((r) => r.level),
        rows.map((r) => r.phase),
        rows.map((r) => r.message),
      ],
    });
  }

  /** updatedAt: when the last event folded into the state occurred (so a rebuild writes the same value). */
  async upsertRuns(client: ClientBase, runs: Array<{ state: RunState; updatedAt: string }>): Promise<void> {
    if (runs.length === 0) return;
    const rows = runs.map(({ state: s, updatedAt }) => ({
      batch_run_id: s.batchRunId,
      status: s.status,
      started_at: s.startedAt,
      completed_at: s.completedAt,
      total_jobs: s.totalJobs,
      completed_jobs: s.completedJobs,
      failed_jobs: s.failedJobs,
      portfolio_id: s.portfolioId,
      owner_id: s.ownerId,
      last_seq: s.lastSeq,
      current_phase: s.currentPhase,
      phases: s.phases,
      stream_version: s.version,
      dropped_entries: s.droppedEntries,
      log_cut_at: s.logCutAt,
      updated_at: updatedAt,
    }));
    await client.query({ ...SQL.upsertRuns, values: [JSON.stringify(rows)] });
  }

  /** Returns whether the snapshot moved; an older write than the stored one changes nothing. */
  async writeSnapshot(client: Pick<ClientBase, 'query'>, streamId: string, lastSeq: number): Promise<boolean> {
    const result = await client.query({ ...SQL.writeSnapshot, values: [streamId, lastSeq] });
    return (result.rowCount ?? 0) > 0;
  }
}

/** Per stream, the last seq the newest phase end or finish in this group covers. */
function snapshotTargets(events: RecordedRunEvent[]): Map<string, number> {
  const targets = new Map<string, number>();
  for (const e of events) {
    if (writesSnapshot(e)) targets.set(e.streamId, Math.max(targets.get(e.streamId) ?? 0, e.data.lastSeq));
  }
  return targets;
}
