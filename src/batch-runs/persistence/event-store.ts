/**
 * The append-only store of run events: the source of truth. Events are appended by the group
 * commit's one statement (GroupWriter, SQL.commitGroup); this reads them back. Appending an event
 * whose (stream_id, version) exists fails with a unique violation, which is how two writers that
 * decided from the same state find out (optimistic concurrency).
 */
import { Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { RecordedRunEvent } from '../domain/run.events';
import { SQL } from './run.sql';

export const STREAM_VERSION_CONSTRAINT = 'pk_batch_run_events';
/** Two writers that decided from the same state also collide on the entries' (batch_run_id, seq). */
const ENTRY_SEQ_CONSTRAINT = 'pk_batch_run_log_entries';

@Injectable()
export class EventStore {
  async readStream(
    db: Pick<ClientBase, 'query'>,
    streamId: string,
    afterVersion = 0,
    limit = 1000,
  ): Promise<RecordedRunEvent[]> {
    const { rows } = await db.query({ ...SQL.selectStream, values: [streamId, afterVersion, limit] });
    return rows.map(
      (row) =>
        ({
          type: row.type,
          data: row.payload,
          streamId: row.stream_id,
          version: row.version,
          occurredAt: row.occurred_at,
        }) as RecordedRunEvent,
    );
  }
}

export function isStreamVersionConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  // The group's one statement writes both tables, in an order PostgreSQL chooses: either key may report it.
  return e?.code === '23505' && (e.constraint === STREAM_VERSION_CONSTRAINT || e.constraint === ENTRY_SEQ_CONSTRAINT);
}
