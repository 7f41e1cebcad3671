import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-run entry cap (what was dropped, and where the log was cut) on the run row, and the
 * lease table: which runlog process writes a running run, and until when it is presumed alive.
 */
export class AddEntryCapAndLeases1764400000000 implements MigrationInterface {
  name = 'AddEntryCapAndLeases1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_run_history
      ADD COLUMN dropped_entries integer NOT NULL DEFAULT 0,
      ADD COLUMN log_cut_at integer NULL`);
    await q.query(`
      CREATE TABLE batch_run_leases (
        batch_run_id text PRIMARY KEY,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_batch_run_leases_expires_at ON batch_run_leases (expires_at)`);
    // The lease sweeper looks only at running runs.
    await q.query(`CREATE INDEX ix_batch_run_history_running ON batch_run_history (batch_run_id) WHERE status = 'running'`);
    // Retention walks finished runs oldest first.
    await q.query(`CREATE INDEX ix_batch_run_history_completed_at ON batch_run_history (completed_at) WHERE status <> 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_batch_run_history_completed_at`);
    await q.query(`DROP INDEX ix_batch_run_history_running`);
    await q.query(`DROP TABLE batch_run_leases`);
    await q.query(`ALTER TABLE batch_run_history DROP COLUMN log_cut_at, DROP COLUMN dropped_entries`);
  }
}
