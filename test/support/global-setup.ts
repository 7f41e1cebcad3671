/**
 * Jest global setup: provides one PostgreSQL server for the whole run.
 *
 * DATABASE_URL set: that server is used as is (its database must exist; test
 * databases are created next to it). Otherwise an embedded PostgreSQL starts
 * in a fresh ./.test-data/pg-<random>, removed again by global-teardown.
 *
 * Workers inherit RUNLOG_TEST_ADMIN_URL (see test-database.ts).
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/database/embedded-postgres';

/** What global-teardown needs; global setup and teardown share one process. */
export interface TestPostgresHandle {
  embedded?: EmbeddedDatabase;
  dataDir?: string;
}

declare global {
  // eslint-disable-next-line no-var
  var __runlogTestPostgres: TestPostgresHandle | undefined;
}

export default async function globalSetup(): Promise<void> {
  const given = process.env.DATABASE_URL;
  if (given) {
    process.env.RUNLOG_TEST_ADMIN_URL = given;
    globalThis.__runlogTestPostgres = {};
    console.log(`\nTests use PostgreSQL from DATABASE_URL (${withoutPassword(given)}).`);
    return;
  }

  const dataDir = path.join(__dirname, '..', '..', '.test-data', `pg-${randomBytes(4).toString('hex')}`);
  // Record the directory first so teardown removes it even if start fails.
  globalThis.__runlogTestPostgres = { dataDir };
  const embedded = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
  globalThis.__runlogTestPostgres.embedded = embedded;
  process.env.RUNLOG_TEST_ADMIN_URL = embedded.url;
  console.log(`\nTests use embedded PostgreSQL on 127.0.0.1:${embedded.port} (${path.relative(process.cwd(), dataDir)}).`);
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
