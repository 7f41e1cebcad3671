/**
 * The benchmark's PostgreSQL: an embedded server in a fresh temporary cluster (the default), or the
 * server in DATABASE_URL, on which the benchmark creates (and afterwards drops) databases of its own.
 * With BENCH_DATABASE_URL, `npm run bench` measures that server as well, the same way (benchTargets).
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/** A server to benchmark: the embedded one, or the one at `url`, named by the variable that gave it. */
export interface BenchTarget {
  source: 'embedded' | 'DATABASE_URL' | 'BENCH_DATABASE_URL';
  url?: string;
}

/** The servers `npm run bench` measures, in order: embedded PostgreSQL (or DATABASE_URL), then BENCH_DATABASE_URL when set. */
export function benchTargets(): BenchTarget[] {
  const given = process.env.DATABASE_URL?.trim();
  const also = process.env.BENCH_DATABASE_URL?.trim();
  const first: BenchTarget = given ? { source: 'DATABASE_URL', url: given } : { source: 'embedded' };
  return also ? [first, { source: 'BENCH_DATABASE_URL', url: also }] : [first];
}

export interface BenchDatabase {
  /** The main benchmark database. */
  url: string;
  embedded: boolean;
  source: BenchTarget['source'];
  /** E.g. "PostgreSQL 18.4 (embedded)", "PostgreSQL 15.20 (BENCH_DATABASE_URL)". */
  label: string;
  /** The server's data directory, when it will say (superuser or pg_read_all_settings). */
  dataDirectory: string | null;
  serverVersion: string;
  settings: Record<string, string>;
  /** Creates another database on the same server; null when not allowed. */
  createDatabase(suffix: string): Promise<string | null>;
  stop(): Promise<void>;
}

export async function openBenchDatabase(log: (line: string) => void, target: BenchTarget = benchTargets()[0]): Promise<BenchDatabase> {
  const given = target.url;
  let adminUrl: string;
  let stopServer: () => Promise<void> = async () => undefined;
  let dataDir: string | null = null;
  if (given) {
    adminUrl = given;
    log(`using PostgreSQL from ${target.source}`);
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
    log(`benchmarking in the ${target.source} database itself`);
    url = given;
  }
  const { serverVersion, settings, dataDirectory } = await withClient(url, async (c) => {
    const version = (await c.query(`SHOW server_version`)).rows[0].server_version as string;
    const names = ['synchronous_commit', 'fsync', 'shared_buffers', 'wal_level', 'max_wal_size', 'full_page_writes'];
    const { rows } = await c.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`, [names]);
    const s: Record<string, string> = {};
    for (const r of rows) s[r.name] = r.unit && r.unit !== '' ? `${r.setting} (${r.unit})` : r.setting;
    const directory = await c.query(`SHOW data_directory`).then((r) => r.rows[0].data_directory as string, () => null);
    return { serverVersion: version, settings: s, dataDirectory: directory };
  });
  return {
    url,
    embedded: !given,
    source: target.source,
    label: `PostgreSQL ${serverVersion.split(' ')[0]} (${target.source})`,
    dataDirectory,
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
