/**
 * The `runlog` CLI (clients/node/bin/runlog.js) as a person runs it: a child process with RUNLOG_URL
 * and RUNLOG_TOKEN, against a real runlog over HTTP; its output, its exit codes and its errors.
 */
import { spawn, spawnSync } from 'child_process';
import { randomUUID } from 'crypto';
import { statSync, utimesSync } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, TestApp, TEST_JWT_SECRET, tokenFor } from '../support/test-app';
import { tcpProxy } from '../support/tcp-proxy';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'clients', 'node', 'bin', 'runlog.js');
const TOKEN_ENV = { AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://unused' };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; whileRunning is given what it has printed so far. */
function cli(args: string[], env: Record<string, string | undefined>, whileRunning?: (printed: () => string) => Promise<void>): Promise<Ran> {
  return run(process.execPath, [BIN, ...args], env, whileRunning);
}

function run(command: string, args: string[], env: Record<string, string | undefined>, whileRunning?: (printed: () => string) => Promise<void>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    void whileRunning?.(() => stdout);
  });
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Whether something answers on 127.0.0.1:port (then the default URL cannot be shown unreachable). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

describe('runlog CLI', () => {
  let t: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    env = { RUNLOG_URL: t.baseUrl, RUNLOG_TOKEN: await tokenFor('admin') };
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'cli-done', phases: ['load'] }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'cli-done', entries: [{ level: 'info', message: 'loaded 3 rows', phase: 'load' }, { level: 'warning', message: 'row 2 odd', phase: 'load' }] }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'cli-done', status: 'completed' }));
  });
  afterAll(async () => t?.close());

  it('--help on the command and on each subcommand', async () => {
    for (const args of [['--help'], ['runs', '--help'], ['logs', '--help'], ['token', '--help']]) {
      const ran = await cli(args, env);
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/^usage: runlog/);
    }
    const none = await cli([], env);
    expect(none.code).toBe(2);
  });

  it('runs: a plain table when piped (no colour codes), --json for machines', async () => {
    const plain = await cli(['runs', '--limit', '5'], env);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n')[0]).toMatch(/^BATCH RUN\s+STATUS\s+STARTED/);
    expect(plain.stdout).toMatch(/cli-done\s+completed/);
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    const json = await cli(['runs', '--json', '--status', 'completed'], env);
    expect(JSON.parse(json.stdout).map((r: { batch_run_id: string }) => r.batch_run_id)).toContain('cli-done');
  });

  it('runs --portfolio P: only that portfolio\'s runs', async () => {
    const [p1, p2] = [randomUUID(), randomUUID()];
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'cli-portfolio-a', portfolioId: p1 }));
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'cli-portfolio-b', portfolioId: p2 }));
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'cli-portfolio-a2', portfolioId: p1 }));
    const json = await cli(['runs', '--portfolio', p1, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).map((r: { batch_run_id: string }) => r.batch_run_id).sort()).toEqual(['cli-portfolio-a', 'cli-portfolio-a2']);
    const table = await cli(['runs', '--portfolio', p2], env);
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^cli-portfolio-b\\s+running\\s.*${p2}$`));
    const none = await cli(['runs', '--portfolio', randomUUID()], env);
    expect(none.stdout).toBe('no runs\n');
  });

  it('logs --phase P: only that phase\'s lines, in every format and when following', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'cli-phases', phases: ['load', 'report'] }));
    await t.commandBus.execute(
      new AppendLogEntriesCommand({
        batchRunId: 'cli-phases',
        entries: [
          { level: 'info', message: 'load 1', phase: 'load' },
          { level: 'info', message: 'report 1', phase: 'report' },
          { level: 'warning', message: 'load 2', phase: 'load' },
          { level: 'error', message: 'report 2', phase: 'report' },
        ],
      }),
    );
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'cli-phases', status: 'completed' }));
    const nd = await cli(['logs', 'cli-phases', '--phase', 'report', '--format', 'ndjson'], env);
    expect(nd.code).toBe(0);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['report 1', 'report 2']);
    const txt = await cli(['logs', 'cli-phases', '--phase', 'load'], env);
    expect(txt.stdout.match(/\[load\] load \d/g)).toEqual(['[load] load 1', '[load] load 2']);
    expect(txt.stdout).not.toMatch(/report \d/);
    const followed = await cli(['logs', 'cli-phases', '--phase', 'report', '--follow'], env);
    expect(followed.code).toBe(0);
    expect(followed.stdout.trim().split('\n').map((l) => l.replace(/^\S+ /, ''))).toEqual(['INFO [report] report 1', 'ERROR [report] report 2']);
    const both = await cli(['logs', 'cli-phases', '--phase', 'load', '--level', 'warning', '--format', 'ndjson'], env);
    expect(both.stdout.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['load 2']);
  });

  it('colour on a terminal: statuses and levels coloured under a pseudo-terminal (script), plain when piped', async () => {
    if (spawnSync('script', ['--version']).status !== 0) {
      console.warn('script (util-linux) is not installed: the colour-on-a-TTY test is skipped');
      return;
    }
    const underTty = (args: string[]) => run('script', ['-qec', [process.execPath, BIN, ...args].map(shellQuote).join(' '), '/dev/null'], env);
    const runs = await underTty(['runs', '--status', 'completed', '--limit', '5']);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(/cli-done\s+\x1b\[32mcompleted\s*\x1b\[0m/);
    const followed = await underTty(['logs', 'cli-done', '--follow']);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/ INFO \[load\] loaded 3 rows/);
    expect(followed.stdout).toMatch(/ \x1b\[33mWARNING\x1b\[0m \[load\] row 2 odd/);
    const piped = await cli(['logs', 'cli-done', '--follow'], env);
    expect(piped.stdout).not.toMatch(/\x1b\[/);
  });

  it('logs: the TXT download by default, NDJSON and a level filter on request', async () => {
    const txt = await cli(['logs', 'cli-done'], env);
    expect(txt.code).toBe(0);
    expect(txt.stdout).toMatch(/INFO \[load\] loaded 3 rows/);
    const nd = await cli(['logs', 'cli-done', '--format', 'ndjson', '--level', 'warning'], env);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['row 2 odd']);
  });

  it('logs --follow prints lines as they are committed and exits 0 when the run completes, 1 when it fails', async () => {
    for (const [id, status, code] of [['cli-live-ok', 'completed', 0], ['cli-live-bad', 'failed', 1]] as const) {
      await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }));
      const ran = await cli(['logs', id, '--follow'], env, async () => {
        for (let i = 1; i <= 5; i += 1) {
          await new Promise((r) => setTimeout(r, 150));
          await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [{ level: 'info', message: `step ${i}` }] }));
        }
        await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status }));
      });
      expect(ran.stderr).toBe('');
      expect(ran.stdout.trim().split('\n').map((l) => l.replace(/^\S+ INFO /, ''))).toEqual(['step 1', 'step 2', 'step 3', 'step 4', 'step 5']);
      expect(ran.code).toBe(code);
    }
  }, 30_000);

  it('logs --follow resumes by itself after its connection is cut: each line printed once, exit 0 on completed', async () => {
    const proxy = await tcpProxy(Number(new URL(t.baseUrl).port));
    try {
      const id = 'cli-live-cut';
      await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }));
      const append = (i: number) => t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [{ level: 'info', message: `step ${i}` }] }));
      let connectionsBeforeCut = 0;
      const ran = await cli(['logs', id, '--follow'], { ...env, RUNLOG_URL: proxy.url }, async (printed) => {
        await append(1);
        await append(2);
        await until(() => /step 2\n/.test(printed()), 'the first two lines');
        connectionsBeforeCut = proxy.connections();
        proxy.cut();
        for (let i = 3; i <= 6; i += 1) await append(i); // committed while the CLI is disconnected
        await until(() => proxy.connections() > connectionsBeforeCut, 'the reconnect');
        for (let i = 7; i <= 8; i += 1) await append(i);
        await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'completed' }));
      });
      expect(ran.stderr).toBe('');
      expect(ran.stdout.trim().split('\n').map((l) => l.replace(/^\S+ INFO /, ''))).toEqual(Array.from({ length: 8 }, (_, i) => `step ${i + 1}`));
      expect(ran.code).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('unreachable: the error names the URL tried and where it came from (--url, RUNLOG_URL, the default)', async () => {
    const { RUNLOG_TOKEN } = env;
    const defaultBusy = await listening(3000);
    if (defaultBusy) console.warn('something listens on 127.0.0.1:3000: the unreachable-default case is skipped');
    const cases: Array<[Record<string, string | undefined>, string[], RegExp]> = [
      [{ RUNLOG_TOKEN, RUNLOG_URL: 'http://127.0.0.1:9' }, ['runs', '--url', 'http://127.0.0.1:7'], /^runlog: cannot reach runlog at http:\/\/127\.0\.0\.1:7 \(--url\): /],
      [{ RUNLOG_TOKEN, RUNLOG_URL: 'http://127.0.0.1:9' }, ['runs'], /^runlog: cannot reach runlog at http:\/\/127\.0\.0\.1:9 \(RUNLOG_URL\): /],
      ...(defaultBusy ? [] : [[{ RUNLOG_TOKEN }, ['runs'], /^runlog: cannot reach runlog at http:\/\/127\.0\.0\.1:3000 \(the default; set RUNLOG_URL or pass --url\): /] as [Record<string, string | undefined>, string[], RegExp]]),
    ];
    const ran = await Promise.all(cases.map(([e, args]) => cli(args, e)));
    cases.forEach(([, , message], i) => {
      expect(ran[i].code).toBe(2);
      expect(ran[i].stderr).toMatch(message);
      expect(ran[i].stderr).not.toMatch(/given --url|\n\s+at /);
    });
  }, 30_000);

  it('clear errors with a non-zero exit and no stack trace: unreachable server, no token, bad token, unknown run', async () => {
    const cases: Array<[Record<string, string | undefined>, string[], RegExp]> = [
      [{ ...env, RUNLOG_URL: 'http://127.0.0.1:9' }, ['runs'], /cannot reach runlog at http:\/\/127\.0\.0\.1:9 \(RUNLOG_URL\)/],
      [{ RUNLOG_URL: t.baseUrl }, ['runs'], /no token: set RUNLOG_TOKEN/],
      [{ ...env, RUNLOG_TOKEN: 'garbage' }, ['runs'], /401: invalid token/],
      [env, ['logs', 'no-such-run'], /404: .*does not exist/],
      [env, ['logs', 'no-such-run', '--follow'], /404: .*does not exist/],
      [env, ['nonsense'], /unknown command/],
    ];
    for (const [e, args, message] of cases) {
      const ran = await cli(args, e);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toMatch(message);
      expect(ran.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  }, 60_000);

  it('token: prints a token of the asked role that the server accepts', async () => {
    const ran = await cli(['token', '--role', 'admin', '--sub', 'cli-test', '--ttl', '1h'], TOKEN_ENV);
    expect(ran.code).toBe(0);
    const token = ran.stdout.trim();
    const res = await fetch(`${t.baseUrl}/api/v1/admin/batch/history?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // Built once, a token is signed without compiling again (npm run token compiled every time).
    const again = await cli(['token', '--role', 'user'], TOKEN_ENV);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/compiling/);
    const bad = await cli(['token', '--role', 'root'], TOKEN_ENV);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of/);
    expect(bad.stderr).toMatch(/^usage: runlog token --role /m);
    expect(bad.stderr).not.toMatch(/npm run/);
  }, 120_000);

  it('token --help: the usage of `runlog token`, exit 0', async () => {
    const ran = await cli(['token', '--help'], TOKEN_ENV);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^usage: runlog token --role admin\|user\|service \[--sub ID\] \[--ttl \S+\]\n/);
    expect(ran.stdout).toMatch(/--ttl\s+lifetime/);
    expect(ran.stdout).not.toMatch(/npm run/);
  }, 120_000);

  it('token: compiled again when any file the token script imports, even through others, is newer than the compiled script', async () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { sourcesOf } = require(BIN) as { sourcesOf: (entry: string) => string[] };
    const sources = sourcesOf(path.join(ROOT, 'scripts', 'token.ts')).map((file) => path.relative(ROOT, file));
    // Direct imports, and those reached only through them (run.policy.ts, by app.config.ts).
    expect(sources).toEqual(expect.arrayContaining(['scripts/token.ts', 'src/auth/jwt-secret.ts', 'src/auth/principal.ts', 'src/auth/token.service.ts', 'src/config/app.config.ts', 'src/batch-runs/domain/run.policy.ts']));
    expect(sources.every((file) => file.endsWith('.ts'))).toBe(true);
    // A compiled script older than run.policy.ts is stale: compiled once, then not again.
    const script = path.join(ROOT, 'dist', 'scripts', 'token.js');
    const older = new Date(statSync(path.join(ROOT, 'src', 'batch-runs', 'domain', 'run.policy.ts')).mtimeMs - 1000);
    utimesSync(script, older, older);
    const first = await cli(['token', '--role', 'service'], TOKEN_ENV);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/compiling/);
    const second = await cli(['token', '--role', 'service'], TOKEN_ENV);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toMatch(/compiling/);
    expect(second.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  }, 180_000);
});
