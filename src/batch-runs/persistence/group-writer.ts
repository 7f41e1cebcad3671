/**
 * What one group commit writes, inside its transaction: one statement (SQL.commitGroup) for the
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

  /** events: the group's, in acceptance order; states: each touched run as its last event left it. */
  async write(client: ClientBase, events: RecordedRunEvent[], states: Iterable<RunState>): Promise<void> {
    if (events.length === 0) return;
    const touched = [...states];
    const { renew, release } = leaseChanges(touched);
    await client.query({
      ...SQL.commitGroup,
      values: [
        eventsDocument(events),
        runRowsDocument(runRowsOf(events, touched)),
        renew,
        release,
        this.leases.instanceId,
        this.config.runLeaseSeconds,
      ],
    });
  }
}

/** The events as one JSON array: PostgreSQL parses it once (a text[] of documents was escaped and parsed twice). */
function eventsDocument(events: RecordedRunEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({ stream_id: e.streamId, version: e.version, type: e.type, occurred_at: e.occurredAt, payload: e.data })),
  );
}
