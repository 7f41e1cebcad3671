import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { revertAllMigrations, revertLastMigration, runMigrations } from '../../src/database/migrate';
import { createTestDatabase, TestDatabase } from '../support/test-database';

async function tables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'runlog_migrations' ORDER BY 1`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db.drop());

  it('migrate an empty database up, down to zero, and up again', async () => {
    expect(await tables(db.url)).toEqual([]);
    const applied = await runMigrations(db.url);
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await tables(db.url)).toEqual(['batch_run_events', 'batch_run_history', 'batch_run_leases', 'batch_run_log_entries', 'batch_run_log_search', 'runlog_liveness']);

    expect(await revertAllMigrations(db.url)).toBe(MIGRATIONS.length);
    expect(await tables(db.url)).toEqual([]);

    expect(await runMigrations(db.url)).toHaveLength(MIGRATIONS.length);
    expect(await runMigrations(db.url)).toEqual([]); // idempotent: nothing left to apply
    expect(await tables(db.url)).toEqual(['batch_run_events', 'batch_run_history', 'batch_run_leases', 'batch_run_log_entries', 'batch_run_log_search', 'runlog_liveness']);
  });

  it('seeds the liveness row with the time of the last stored event (the upgrade downtime is credited), and drops it on down', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      while ((await client.query(`SELECT 1 FROM runlog_migrations WHERE name = 'CreateRunlogLiveness1764600000000'`)).rowCount! > 0) {
        await revertLastMigration(db.url);
      }
      expect(await tables(db.url)).not.toContain('runlog_liveness');
      await client.query(
        `INSERT INTO batch_run_events (stream_id, version, type, payload, occurred_at) VALUES ('seed', 1, 'BatchRunStarted', '{}', now() - interval '1 hour')`,
      );
      await runMigrations(db.url);
      const { rows } = await client.query(
        `SELECT count(*)::int AS n, bool_and(alive_at = (SELECT occurred_at FROM batch_run_events WHERE stream_id = 'seed')) AS seeded FROM runlog_liveness`,
      );
      expect(rows[0]).toEqual({ n: 1, seeded: true });
    } finally {
      await client.query(`DELETE FROM batch_run_events WHERE stream_id = 'seed'`);
      await runMigrations(db.url);
      await client.end();
    }
  });

  it('compresses event payloads and snapshots with lz4 where the server has it, and reverts to the default', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const compression = async () => {
      const { rows } = await client.query(
        `SELECT attrelid::regclass::text AS t, attname, attcompression FROM pg_attribute
         WHERE (attrelid, attname) IN (('batch_run_events'::regclass, 'payload'), ('batch_run_history'::regclass, 'activity_log')) ORDER BY 1`,
      );
      return rows.map((r) => `${r.t}.${r.attname}:${r.attcompression || 'default'}`);
    };
    try {
      const { rows } = await client.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
      const expected = rows[0].lz4 ? 'l' : 'default';
      expect(await compression()).toEqual([`batch_run_events.payload:${expected}`, `batch_run_history.activity_log:${expected}`]);
      // Later migrations are reverted first, down to and including the lz4 one.
      const lz4Applied = async () =>
        (await client.query(`SELECT 1 FROM runlog_migrations WHERE name = 'Lz4ForLargeJsonb1764500000000'`)).rowCount! > 0;
      while (await lz4Applied()) await revertLastMigration(db.url);
      expect(await compression()).toEqual(['batch_run_events.payload:default', 'batch_run_history.activity_log:default']);
    } finally {
      await runMigrations(db.url);
      await client.end();
    }
  });

  it('keeps the original columns and index of batch_run_history', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'batch_run_history'`,
      );
      const columns = Object.fromEntries(rows.map((r) => [r.column_name, `${r.data_type}:${r.is_nullable}`]));
      expect(columns).toMatchObject({
        id: 'uuid:NO',
        batch_run_id: 'text:NO',
        activity_log: 'jsonb:YES',
        portfolio_id: 'uuid:YES',
        owner_id: 'text:YES',
        activity_log_seq: 'integer:NO',
      });
      const index = await client.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'ix_batch_run_history_portfolio_id'`);
      expect(index.rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});
