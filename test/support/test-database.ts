/**
 * A fresh, empty database per test suite on the server that global-setup
 * provides (RUNLOG_TEST_ADMIN_URL), so suites never see each other's data.
 */
import { randomBytes } from 'crypto';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  name: string;
  /** Terminates leftover connections and drops the database; safe to call twice. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.RUNLOG_TEST_ADMIN_URL;
  if (!adminUrl) {
    throw new Error('RUNLOG_TEST_ADMIN_URL is not set; run the tests through jest, whose global setup provides it.');
  }
  const name = `runlog_test_${randomBytes(6).toString('hex')}`;
  assertIsTestDatabase(name);

  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`));
  let dropped: Promise<void> | undefined;
  return {
    url: urlForDatabase(adminUrl, name),
    name,
    drop: () => (dropped ??= dropDatabase(adminUrl, name)),
  };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  assertIsTestDatabase(name);
  await withAdmin(adminUrl, async (admin) => {
    // Pools a test forgot to close would otherwise make DROP DATABASE fail.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      name,
    ]);
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)}`);
  });
}

/** The admin server may be a shared one (DATABASE_URL): never create or drop anything that is not obviously a test database. */
function assertIsTestDatabase(name: string): void {
  if (!name.includes('test')) throw new Error(`Refusing to use database "${name}": test database names must contain "test".`);
}

function urlForDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
