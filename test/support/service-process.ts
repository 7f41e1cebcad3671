/**
 * The real service as a child process, the way `npm start` runs it: `node dist/src/main.js`, in a
 * process group of its own (so `kill -9` of the group takes the service and its embedded PostgreSQL
 * down together, like a power cut or the OOM killer), with its embedded PostgreSQL in a data
 * directory the caller chooses. The port is read from the start banner.
 */
import { execFile, spawn, type ChildProcess } from 'child_process';
import { existsSync, promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** The repository root (works from test/support and from dist/test/support). */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'runlog') return dir;
    if (dir === path.dirname(dir)) throw new Error(`no runlog package.json above ${__dirname}`);
  }
}

/** `npm run build`'s compilation (incremental): dist/src/main.js is what the child runs. */
export async function buildService(): Promise<void> {
  const root = repoRoot();
  try {
    await execFileAsync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`tsc -p tsconfig.json failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`.trim());
  }
}

export interface ServiceProcessOptions {
  /** RUNLOG_DATA_DIR: the embedded PostgreSQL cluster lives in <dataDir>/pg. */
  dataDir: string;
  /** AUTH_JWT_SECRET (32+ characters). */
  jwtSecret: string;
  /** More environment variables (they win over the defaults set here). */
  env?: Record<string, string>;
  /** How long to wait for the "listening on" line; default 90 s (PostgreSQL crash recovery included). */
  startTimeoutMs?: number;
}

export interface ServiceProcess {
  pid: number;
  baseUrl: string;
  /** How long it took from spawn to the "listening on" line. */
  startMs: number;
  /** The last lines the process wrote (stdout and stderr). */
  output(): string;
  /** kill -9 of the whole process group (service and embedded PostgreSQL); resolves once the service is gone. */
  kill9(): Promise<void>;
  /**
   * kill -9 of the node process alone (the OOM killer, a crash): its embedded PostgreSQL and the
   * watchdog are left running; resolves once the service is gone.
   */
  kill9NodeOnly(): Promise<void>;
  /** SIGTERM to the service (graceful: it stops HTTP, then its PostgreSQL); resolves with its exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const OUTPUT_LINES = 200;

export async function startService(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const root = repoRoot();
  const main = path.join(root, 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} does not exist: build first (npm run build)`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RUNLOG_DATA_DIR: options.dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_JWT_SECRET: options.jwtSecret,
    SEED_DEMO_RUN: 'false',
    DEMO_BATCH_SECONDS: '0',
    ...options.env,
  };
  // Embedded PostgreSQL in dataDir, whatever the test run itself uses.
  delete env.DATABASE_URL;
  delete env.RUNLOG_TEST_ADMIN_URL;

  const startedAt = Date.now();
  const child: ChildProcess = spawn(process.execPath, [main], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let onLine: ((line: string) => void) | null = null;
  const collect = (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > OUTPUT_LINES) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output = () => [...lines, partial].filter(Boolean).join('\n');
  const pid = child.pid!;

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };

  const timeoutMs = options.startTimeoutMs ?? 90_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`runlog did not print "listening on" within ${timeoutMs} ms`)), timeoutMs);
      onLine = (line) => {
        const match = /^runlog: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) resolve(match[1]);
      };
      for (const line of lines) onLine(line);
      void exited.then(({ code, signal }) => reject(new Error(`runlog exited during start (code ${code}, signal ${signal})`)));
    });
    return {
      pid,
      baseUrl,
      startMs: Date.now() - startedAt,
      output,
      exited,
      async kill9() {
        killGroup('SIGKILL');
        await exited;
      },
      async kill9NodeOnly() {
        child.kill('SIGKILL');
        await exited;
      },
      async stop(stopTimeoutMs = 30_000) {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        child.kill('SIGTERM');
        let stopTimer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          exited.then((e) => e.code),
          new Promise<'timeout'>((resolve) => (stopTimer = setTimeout(() => resolve('timeout'), stopTimeoutMs))),
        ]);
        clearTimeout(stopTimer);
        if (outcome === 'timeout') {
          killGroup('SIGKILL');
          await exited;
          throw new Error(`runlog did not stop within ${stopTimeoutMs} ms of SIGTERM; killed. Output:\n${output()}`);
        }
        return outcome;
      },
    };
  } catch (error) {
    killGroup('SIGKILL');
    await exited;
    throw new Error(`${(error as Error).message}\n--- output ---\n${output()}`);
  } finally {
    clearTimeout(timer);
    onLine = null;
  }
}

/** The URL of the embedded PostgreSQL running on dataDir (its port is line 4 of postmaster.pid). */
export function embeddedDatabaseUrl(dataDir: string): string {
  const lines = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${dataDir}/pg/postmaster.pid`);
  return `postgres://postgres:runlog@127.0.0.1:${port}/runlog`;
}

/**
 * Live processes that belong to dataDir: any whose command line names it (the postmaster: -D
 * <dataDir>/pg, or a service started with it) or whose working directory is inside it (every
 * PostgreSQL process runs in its cluster directory). Zombies have neither and are not counted.
 */
export async function processesUsing(dataDir: string): Promise<string[]> {
  const real = await fs.realpath(dataDir).catch(() => path.resolve(dataDir));
  const found: string[] = [];
  for (const pid of await fs.readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
    const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cmdline.includes(real) || cmdline.includes(dataDir) || cwd === real || cwd.startsWith(`${real}/`)) {
      found.push(`${pid} ${cmdline || '(no command line)'} [cwd ${cwd}]`);
    }
  }
  return found;
}

/** `pgrep -f <dataDir>`: the pids whose command line names it (none: []). */
export async function pgrep(pattern: string): Promise<number[]> {
  try {
    const { stdout } = await execFileAsync('pgrep', ['-f', pattern]);
    return stdout.split('\n').filter(Boolean).map(Number);
  } catch (error) {
    if ((error as { code?: number }).code === 1) return []; // no match
    throw error;
  }
}

/** Polls until nothing uses dataDir any more, or the timeout; returns what is left. */
export async function waitUntilNothingUses(dataDir: string, timeoutMs = 15_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const left = await processesUsing(dataDir);
    if (left.length === 0 || Date.now() >= until) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}
