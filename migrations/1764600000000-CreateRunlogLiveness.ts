import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row: when some runlog instance was last alive (`alive_at`, the database's clock). Every
 * instance beats it every second or faster; a beat that finds it older than a few beat intervals
 * knows that no instance could accept writes in between, and shifts the leases of running runs
 * forward by that gap, so runlog's own downtime does not count as a producer's silence.
 *
 * Seeded with the time of the last stored event (never later than now): the downtime of the
 * upgrade that brings this migration is then credited too. That is the last moment runlog is known
 * to have been alive; if it was alive but idle after it, the credit is capped at one full lease
 * per run anyway, and a run whose lease ran out while runlog was up would already have been swept
 * (an event later than its expiry), so it stays expired.
 */
export class CreateRunlogLiveness1764600000000 implements MigrationInterface {
  name = 'CreateRunlogLiveness1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runlog_liveness (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        alive_at timestamptz NOT NULL
      )`);
    await q.query(`
      INSERT INTO runlog_liveness (id, alive_at)
      SELECT 1, LEAST(now(), COALESCE((SELECT occurred_at FROM batch_run_events ORDER BY position DESC LIMIT 1), now()))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE runlog_liveness`);
  }
}
