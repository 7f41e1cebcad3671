import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * At most one onboarding run of a portfolio is running at a time, enforced by the database: the
 * onboarding route's read-before-write check let 20 concurrent triggers all start a run (each read
 * "none running" before any had committed). The partial unique index sees every instance, lane and
 * group commit; a start it refuses fails alone, as a 409 (GroupCommitter, constraint-rules.ts).
 *
 * Only onboarding runs (`onboarding`, set from their BatchRunStarted event): HTTP producers may run
 * several runs of one portfolio at once (docs/api.md). Rows written before this migration are not
 * onboarding runs; a run of the old code still running at the upgrade is seen only by the route's check.
 */
export class OneOnboardingRunPerPortfolio1764700000000 implements MigrationInterface {
  name = 'OneOnboardingRunPerPortfolio1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_run_history ADD COLUMN onboarding boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX uq_batch_run_history_onboarding_portfolio ON batch_run_history (portfolio_id) WHERE status = 'running' AND onboarding`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_batch_run_history_onboarding_portfolio`);
    await q.query(`ALTER TABLE batch_run_history DROP COLUMN onboarding`);
  }
}
