/**
 * What one group commit writes: one statement (SQL.commitGroup), guarded by the versions decided from, for the
 * events, the entry rows, the run rows, the leases and the notifications. One round trip for all
 * tables: with the writes spread over five statements, their round trips were the larger part of a
 * group's time (docs/benchmarks.md). The snapshots the group calls for are written after it, each in
 * a transaction of its own (SnapshotWriter).
 */
import { Inject, Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { RecordedRunEvent } from '../domain/run.events';
import { RunState } from '../domain/run.state';
import { leaseChanges, RunLeases } from './run-leases';
import { runRowsDocument, runRowsOf } from './run-projection';
import { SQL } from './run.sql';

@Injectable()
export class GroupWriter {
  constructor(
    private readonly leases: RunLeases,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * events: the group's, in acceptance order; states: each touched run as its last event left it;
   * decidedFrom: the stream version each touched run had when the group was decided. Returns false,
   * having written nothing, when a run's version is no longer that one (another writer's commit).
   */
  async write(client: ClientBase, events: RecordedRunEvent[], states: Iterable<RunState>, decidedFrom: ReadonlyMap<string, number>): Promise<boolean> {
    if (events.length === 0) return true;
    const touched = [...states];
    const { renew: running, release } = leaseChanges(touched);
    const now = Date.now();
    const renew = this.leases.dueForRenewal(running, now);
    const ids = touched.map((s) => s.batchRunId);
    const { rows } = await client.query<{ written: boolean }>({
      ...SQL.commitGroup,
      values: [
        eventsDocument(events),
        runRowsDocument(runRowsOf(events, touched)),
        renew,
        release,
        this.leases.instanceId,
        this.config.runLeaseSeconds,
        ids,
        ids.map((id) => decidedFrom.get(id) ?? 0),
      ],
    });
    // Remembered before the commit of a locked group: if that fails, the lease is renewed a quarter lease later than it could be, well within it.
    if (rows[0].written) this.leases.committed(renew, release, now);
    return rows[0].written;
  }
}

/** The events as one JSON array: PostgreSQL parses it once (a text[] of documents was escaped and parsed twice). */
function eventsDocument(events: RecordedRunEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({ stream_id: e.streamId, version: e.version, type: e.type, occurred_at: e.occurredAt, payload: e.data })),
  );
}
