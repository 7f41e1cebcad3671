/**
 * The benchmark's PostgreSQL: an embedded server in a fresh temporary cluster (the default), or the
 * server in DATABASE_URL, on which the benchmark creates (and afterwards drops) databases of its own.
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface BenchDatabase {
  /** The main benchmark database. */
  url: string;
  embedded: boolean;
  serverVersion: string;
  settings: Record<string, string>;
  /** Creates another database on the same server; null when not allowed. */
  createDatabase(suffix: string): Promise<string | null>;
  stop(): Promise<void>;
}

export async function openBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL?.trim();
  let adminUrl: string;
  let stopServer: () => Promise<void> = async () => undefined;
  let dataDir: string | null = null;
  if (given) {
    adminUrl = given;
    log(`using PostgreSQL from DATABASE_URL`);
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), 'runlog-bench-'));
    log(`starting embedded PostgreSQL in ${dataDir}`);
    const embedded = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
    adminUrl = embedded.url;
    stopServer = () => embedded.stop();
  }
  const tag = randomBytes(3).toString('hex');
  const created: string[] = [];
  const createDatabase = async (suffix: string): Promise<string | null> => {
    const name = `runlog_bench_${tag}_${suffix}`;
    try {
      await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
    } catch (error) {
      log(`cannot create database ${name}: ${(error as Error).message}`);
      return null;
    }
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  let url = await createDatabase('main');
  if (!url) {
    if (!given) throw new Error('could not create the benchmark database on the embedded server');
    log('benchmarking in the DATABASE_URL database itself');
    url = given;
  }
  const { serverVersion, settings } = await withClient(url, async (c) => {
    const version = (await c.query(`SHOW server_version`)).rows[0].server_version as string;
    const names = ['synchronous_commit', 'fsync', 'shared_buffers', 'wal_level', 'max_wal_size', 'full_page_writes'];
    const { rows } = await c.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`, [names]);
    const s: Record<string, string> = {};
    for (const r of rows) s[r.name] = r.unit && r.unit !== '' ? `${r.setting} (${r.unit})` : r.setting;
    return { serverVersion: version, settings: s };
  });
  return {
    url,
    embedded: !given,
    serverVersion,
    settings,
    createDatabase,
    async stop() {
      for (const name of created.reverse()) {
        await withClient(adminUrl, async (c) => {
          await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
          await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)}`);
        }).catch((e) => log(`could not drop ${name}: ${(e as Error).message}`));
      }
      await stopServer().catch(() => undefined);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'runlog-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
