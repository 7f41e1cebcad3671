import { MigrationInterface, QueryRunner } from 'typeorm';

/** batch_run_history as the original system had it before persistent logs. */
export class CreateBatchRunHistory1736604000000 implements MigrationInterface {
  name = 'CreateBatchRunHistory1736604000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE batch_run_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_run_id text NOT NULL CONSTRAINT uq_batch_run_history_batch_run_id UNIQUE,
        status text NOT NULL CONSTRAINT ck_batch_run_history_status
          CHECK (status IN ('running', 'completed', 'failed', 'partial')),
        started_at timestamptz NOT NULL,
        completed_at timestamptz NULL,
        total_jobs integer NOT NULL DEFAULT 0,
        completed_jobs integer NOT NULL DEFAULT 0,
        failed_jobs integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE batch_run_history`);
  }
}
