/**
 * The append-only store of run events: the source of truth. Events are appended by the group
 * commit's one statement (GroupWriter, SQL.commitGroup); this reads them back. Appending an event
 * whose (stream_id, version) exists fails with a unique violation, which is how two writers that
 * decided from the same state find out (optimistic concurrency).
 */
import { Injectable } from '@nestjs/common';
import { ClientBase } from 'pg';
import { RecordedRunEvent, RunEventType } from '../domain/run.events';
import { SQL } from './run.sql';

/** A stored event with its payload as the database's JSON text: for passing on, not for deciding. */
export interface RawRunEvent {
  version: number;
  type: RunEventType;
  occurredAt: string;
  payload: string;
}

export const STREAM_VERSION_CONSTRAINT = 'pk_batch_run_events';
/** Two writers that decided from the same state also collide on the entries' (batch_run_id, seq). */
const ENTRY_SEQ_CONSTRAINT = 'pk_batch_run_log_entries';
const ENTRY_UID_CONSTRAINT = 'uq_batch_run_log_entries_record_uid';

/** A page holds at most this many events and, past the first, about this many characters of payload. */
export const STREAM_PAGE_EVENTS = 500;
export const STREAM_PAGE_CHARS = 256 * 1024;

@Injectable()
export class EventStore {
  /** The events of a stream after a version, one bounded page, payloads as JSON text. */
  async readPage(
    db: Pick<ClientBase, 'query'>,
    streamId: string,
    afterVersion: number,
    maxEvents = STREAM_PAGE_EVENTS,
    maxChars = STREAM_PAGE_CHARS,
  ): Promise<RawRunEvent[]> {
    const { rows } = await db.query({ ...SQL.selectStreamPage, values: [streamId, afterVersion, maxEvents, maxChars] });
    return rows.map((row) => ({ version: row.version, type: row.type, occurredAt: row.occurred_at, payload: row.payload }));
  }
}

/** A raw event as the domain's type, for code that folds it. */
export function parseEvent(streamId: string, raw: RawRunEvent): RecordedRunEvent {
  return { type: raw.type, data: JSON.parse(raw.payload), streamId, version: raw.version, occurredAt: raw.occurredAt } as RecordedRunEvent;
}

/** A guarded group statement found a run at another version than the one decided from (SQL.commitGroup). */
export class StreamVersionChanged extends Error {
  constructor() {
    super('a run was written by another writer meanwhile');
  }
}

export function isStreamVersionConflict(error: unknown): boolean {
  if (error instanceof StreamVersionChanged) return true;
  const e = error as { code?: string; constraint?: string };
  // The group's one statement writes both tables, in an order PostgreSQL chooses: either key may report it.
  // An entry uid stored meanwhile (migration 1764800000000) means the same: another writer advanced the run.
  return e?.code === '23505' && (e.constraint === STREAM_VERSION_CONSTRAINT || e.constraint === ENTRY_SEQ_CONSTRAINT || e.constraint === ENTRY_UID_CONSTRAINT);
}
