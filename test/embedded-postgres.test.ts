/**
 * Real PostgreSQL processes: start/stop/restart on one data directory, and
 * restart after the owning process group was killed with SIGKILL.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/database/embedded-postgres';

jest.setTimeout(120_000);

const dataDirs: string[] = [];
const databases: EmbeddedDatabase[] = [];
const children: ChildProcess[] = [];

async function newDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runlog-embedded-pg-'));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedPostgres({ dataDir, startTimeoutMs: 30_000 });
  databases.push(db);
  return db;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Processes whose command line mentions dir (postgres runs with -D <dir>/pg). */
function processesUsing(dir: string): string {
  return spawnSync('pgrep', ['-a', '-f', dir], { encoding: 'utf8' }).stdout.trim();
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
  return exited;
}

/** Runs test/support/embedded-child.js on dataDir in its own process group; resolves with the URL it prints. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'embedded-child.js'), dataDir], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before printing a URL:\n${stderr}`)));
  });
}

afterAll(async () => {
  await Promise.all(databases.map((db) => db.stop()));
  await Promise.all(children.map(killGroup));
  for (const dir of dataDirs) {
    expect(processesUsing(dir)).toBe('');
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('starts with UTF8, keeps data across a stop and start, stops idempotently', async () => {
  const dataDir = await newDataDir();

  const first = await start(dataDir);
  expect(first.url).toBe(`postgres://postgres:runlog@127.0.0.1:${first.port}/runlog`);
  expect(await query(first.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
  expect(await query(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  await query(first.url, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('ä survives')");
  await first.stop();
  await first.stop();
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();

  const second = await start(dataDir);
  expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'ä survives' }]);
  await second.stop();
  await second.stop();
  expect(processesUsing(dataDir)).toBe('');
});

test('refuses a data directory in use by another process, and recovers after that process group is killed with SIGKILL', async () => {
  const dataDir = await newDataDir();
  const { child, url } = await startChild(dataDir);
  await query(url, "CREATE TABLE crashed (value text); INSERT INTO crashed VALUES ('committed before kill')");

  const clusterDir = path.join(dataDir, 'pg');
  await expect(startEmbeddedPostgres({ dataDir, startTimeoutMs: 10_000 })).rejects.toThrow(
    `data directory ${clusterDir} is in use by a running postgres`,
  );

  await killGroup(child);
  // The scenario under test: the killed server left its lock file behind.
  await expect(fs.access(path.join(clusterDir, 'postmaster.pid'))).resolves.toBeUndefined();

  const restarted = await start(dataDir);
  expect(await query(restarted.url, 'SELECT value FROM crashed')).toEqual([{ value: 'committed before kill' }]);
  await restarted.stop();
  expect(processesUsing(dataDir)).toBe('');
});

test('a process started with an IPC channel (fork) ends by itself once its server is stopped', async () => {
  const dataDir = await newDataDir();
  // fork() gives the child an IPC channel, as a jest worker or a supervisor has; a 'message' listener
  // left on it (async-exit-hook's, registered when embedded-postgres is imported) kept it alive.
  const child = fork(path.join(__dirname, 'support', 'embedded-child.js'), [dataDir, 'stop'], { detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = await new Promise<number | string>((resolve) => {
    const timer = setTimeout(() => resolve('still running after 30 s'), 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? String(signal));
    });
  });
  expect({ ended, stderr: ended === 0 ? '' : stderr }).toEqual({ ended: 0, stderr: '' });
  expect(processesUsing(dataDir)).toBe('');
}, 60_000);
