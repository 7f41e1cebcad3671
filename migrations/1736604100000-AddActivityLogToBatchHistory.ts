import { MigrationInterface, QueryRunner } from 'typeorm';

/** The original system's change, same meaning: nullable columns, nothing rewritten. */
export class AddActivityLogToBatchHistory1736604100000 implements MigrationInterface {
  name = 'AddActivityLogToBatchHistory1736604100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_run_history ADD COLUMN activity_log jsonb NULL`);
    await q.query(`ALTER TABLE batch_run_history ADD COLUMN portfolio_id uuid NULL`);
    await q.query(`CREATE INDEX ix_batch_run_history_portfolio_id ON batch_run_history (portfolio_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_batch_run_history_portfolio_id`);
    await q.query(`ALTER TABLE batch_run_history DROP COLUMN portfolio_id`);
    await q.query(`ALTER TABLE batch_run_history DROP COLUMN activity_log`);
  }
}
