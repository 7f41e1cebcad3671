import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entries from OpenTelemetry producers (POST /v1/logs) carry a trace and span id, shown in downloads,
 * and may carry the producer's own id, log.record.uid: a record an exporter retries is stored once. The
 * writer reads which uids a run holds under the run's lock (SQL.storedEntryUids); the partial unique
 * index makes that lookup an index probe and is the database's own guarantee behind it. Nullable
 * columns without defaults: adding them rewrites nothing, and entries without ids cost nothing.
 */
export class AddEntryTraceAndUid1764800000000 implements MigrationInterface {
  name = 'AddEntryTraceAndUid1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_run_log_entries ADD COLUMN trace_id text, ADD COLUMN span_id text, ADD COLUMN record_uid text`);
    await q.query(
      `CREATE UNIQUE INDEX uq_batch_run_log_entries_record_uid ON batch_run_log_entries (batch_run_id, record_uid) WHERE record_uid IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_batch_run_log_entries_record_uid`);
    await q.query(`ALTER TABLE batch_run_log_entries DROP COLUMN trace_id, DROP COLUMN span_id, DROP COLUMN record_uid`);
  }
}
