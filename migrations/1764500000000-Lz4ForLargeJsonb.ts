import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The two large JSONB columns, the events' payloads (100 log lines make a 12 KiB payload) and the
 * run's snapshot, are compressed with lz4 instead of the default pglz: on a group of 8 x 100 entries
 * the commit statement took about 7 ms instead of about 10 (docs/benchmarks.md), for about a quarter
 * more bytes on disk. Values already stored keep their compression; only new ones use lz4. A server
 * built without lz4 keeps pglz (the migration then changes nothing).
 */
export class Lz4ForLargeJsonb1764500000000 implements MigrationInterface {
  name = 'Lz4ForLargeJsonb1764500000000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await supportsLz4(q))) return;
    await q.query(`ALTER TABLE batch_run_events ALTER COLUMN payload SET COMPRESSION lz4`);
    await q.query(`ALTER TABLE batch_run_history ALTER COLUMN activity_log SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_run_history ALTER COLUMN activity_log SET COMPRESSION DEFAULT`);
    await q.query(`ALTER TABLE batch_run_events ALTER COLUMN payload SET COMPRESSION DEFAULT`);
  }
}

async function supportsLz4(q: QueryRunner): Promise<boolean> {
  const rows: Array<{ supported: boolean }> = await q.query(
    `SELECT 'lz4' = ANY(enumvals) AS supported FROM pg_settings WHERE name = 'default_toast_compression'`,
  );
  return rows[0]?.supported === true;
}
