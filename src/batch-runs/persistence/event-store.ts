/**
 * The append-only store of run events: the source of truth. Appending an event whose
 * (stream_id, version) exists fails with a unique violation, which is how two writers that decided
 * from the same state find out (optimistic concurrency).
 */
import { Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { RecordedRunEvent } from '../domain/run.events';
import { SQL } from './run.sql';

export const STREAM_VERSION_CONSTRAINT = 'pk_batch_run_events';

@Injectable()
export class EventStore {
  async append(client: ClientBase, events: RecordedRunEvent[]): Promise<void> {
    if (events.length === 0) return;
    await client.query({
      ...SQL.appendEvents,
      values: [
        events.map((e) => e.streamId),
        events.map((e) => e.version),
        events.map((e) => e.type),
        JSON.stringify(events.map((e) => e.data)), // one JSON array: the payloads, in the order of the other arrays
        events.map((e) => e.occurredAt),
      ],
    });
  }

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
  return e?.code === '23505' && e.constraint === STREAM_VERSION_CONSTRAINT;
}
