import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * runlog's own storage: the append-only event store (the source of truth), one row per log entry,
 * and what the run row needs to serve snapshots and the console.
 */
export class CreateEventStoreAndLogEntries1764300000000 implements MigrationInterface {
  name = 'CreateEventStoreAndLogEntries1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // (stream_id, version) unique: two writers that decided from the same state cannot both commit.
    // position orders all events globally, for replays and for followers polling across instances.
    await q.query(`
      CREATE TABLE batch_run_events (
        position bigserial NOT NULL CONSTRAINT uq_batch_run_events_position UNIQUE,
        stream_id text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        type text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        CONSTRAINT pk_batch_run_events PRIMARY KEY (stream_id, version)
      )`);
    await q.query(`
      CREATE TABLE batch_run_log_entries (
        batch_run_id text NOT NULL,
        seq integer NOT NULL CHECK (seq >= 1),
        "timestamp" timestamptz NOT NULL,
        level text NOT NULL CHECK (level IN ('info', 'warning', 'error')),
        phase text NULL,
        message text NOT NULL,
        CONSTRAINT pk_batch_run_log_entries PRIMARY KEY (batch_run_id, seq)
      )`);
    await q.query(`ALTER TABLE batch_run_history
      ADD COLUMN owner_id text NULL,
      ADD COLUMN activity_log_seq integer NOT NULL DEFAULT 0,
      ADD COLUMN last_seq integer NOT NULL DEFAULT 0,
      ADD COLUMN current_phase text NULL,
      ADD COLUMN phases jsonb NOT NULL DEFAULT '[]'::jsonb,
      ADD COLUMN stream_version integer NOT NULL DEFAULT 0`);
    // The admin list pages newest first (keyset on started_at, batch_run_id); owners look up their runs.
    await q.query(`CREATE INDEX ix_batch_run_history_started ON batch_run_history (started_at DESC, batch_run_id DESC)`);
    await q.query(`CREATE INDEX ix_batch_run_history_owner_id ON batch_run_history (owner_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_batch_run_history_owner_id`);
    await q.query(`DROP INDEX ix_batch_run_history_started`);
    await q.query(`ALTER TABLE batch_run_history
      DROP COLUMN stream_version, DROP COLUMN phases, DROP COLUMN current_phase,
      DROP COLUMN last_seq, DROP COLUMN activity_log_seq, DROP COLUMN owner_id`);
    await q.query(`DROP TABLE batch_run_log_entries`);
    await q.query(`DROP TABLE batch_run_events`);
  }
}
