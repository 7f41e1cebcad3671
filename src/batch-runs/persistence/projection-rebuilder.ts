/**
 * Rebuilds every read model from the event store: empties the entry table and the run rows, then
 * replays each stream through the same evolve and the same projection statements the live path uses.
 * It runs in one transaction that first locks the event store against writers, so readers see the
 * old tables until the new ones are complete and no append can slip between replay and commit.
 */
import { Pool, PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { RecordedRunEvent, writesSnapshot } from '../domain/run.events';
import { evolve, initialRunState, RunState } from '../domain/run.state';
import { RunProjection } from './run-projection';

const ENTRY_FLUSH = 5000;

export interface RebuildReport {
  streams: number;
  events: number;
  entries: number;
}

export async function rebuildProjections(pool: Pool, projection = new RunProjection()): Promise<RebuildReport> {
  const client = await pool.connect();
  const report: RebuildReport = { streams: 0, events: 0, entries: 0 };
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE batch_run_events IN SHARE MODE');
    // The search chunks go with the run rows (their foreign key): rebuilt rows start unindexed (search_indexed_seq 0).
    await client.query('TRUNCATE batch_run_log_search, batch_run_log_entries, batch_run_history');
    const reader = await pool.connect(); // the cursor needs its own connection while `client` writes
    try {
      const rows = reader.query(
        new QueryStream(
          `SELECT stream_id, version, type, payload, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at
           FROM batch_run_events ORDER BY stream_id, version`,
          [],
          { batchSize: 500 },
        ),
      );
      let replay = null as StreamReplay | null;
      for await (const row of rows) {
        const event = { type: row.type, data: row.payload, streamId: row.stream_id, version: row.version, occurredAt: row.occurred_at } as RecordedRunEvent;
        if (replay?.streamId !== event.streamId) {
          if (replay) await replay.finish();
          replay = new StreamReplay(client, projection, event.streamId, report);
          report.streams += 1;
        }
        await replay.apply(event);
        report.events += 1;
      }
      if (replay) await replay.finish();
    } finally {
      reader.release();
    }
    await client.query('COMMIT');
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** One stream's replay: entries are written in batches, the run row and snapshot when the live path wrote them. */
class StreamReplay {
  private state: RunState;
  private pending: RecordedRunEvent[] = [];
  private pendingEntries = 0;
  private lastOccurredAt = '';

  constructor(
    private readonly client: PoolClient,
    private readonly projection: RunProjection,
    readonly streamId: string,
    private readonly report: RebuildReport,
  ) {
    this.state = initialRunState(streamId);
  }

  async apply(event: RecordedRunEvent): Promise<void> {
    this.state = evolve(this.state, event);
    this.lastOccurredAt = event.occurredAt;
    if (event.type === 'LogAppended') {
      this.pending.push(event);
      this.pendingEntries += event.data.entries.length;
      this.report.entries += event.data.entries.length;
      if (this.pendingEntries >= ENTRY_FLUSH) await this.flushEntries();
    }
    if (writesSnapshot(event)) {
      await this.flushEntries();
      await this.writeRun();
      await this.projection.writeSnapshot(this.client, this.streamId, event.data.lastSeq);
    }
  }

  async finish(): Promise<void> {
    await this.flushEntries();
    await this.writeRun();
  }

  private async flushEntries(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.projection.insertEntries(this.client, this.pending);
    this.pending = [];
    this.pendingEntries = 0;
  }

  private async writeRun(): Promise<void> {
    await this.projection.upsertRuns(this.client, [{ state: this.state, updatedAt: this.lastOccurredAt }]);
  }
}
