/**
 * Runs or reverts migrations under a PostgreSQL advisory lock, so instances starting together on
 * one database migrate it once, one after another, never concurrently.
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

const MIGRATION_LOCK = 7_264_111; // any constant shared by every runlog instance

export async function runMigrations(url: string): Promise<string[]> {
  return withMigrationLock(url, async (ds) => (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name));
}

export async function revertLastMigration(url: string): Promise<void> {
  await withMigrationLock(url, (ds) => ds.undoLastMigration({ transaction: 'each' }));
}

/** Reverts every applied migration: an empty schema. For tests and a full roll-back. */
export async function revertAllMigrations(url: string): Promise<number> {
  return withMigrationLock(url, async (ds) => {
    let reverted = 0;
    while ((await ds.query(`SELECT count(*)::int AS n FROM runlog_migrations`))[0].n > 0) {
      await ds.undoLastMigration({ transaction: 'each' });
      reverted += 1;
    }
    return reverted;
  });
}

async function withMigrationLock<T>(url: string, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work(ds);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}
