/**
 * The `runlog` CLI (clients/node/bin/runlog.js) as a person runs it: a child process with RUNLOG_URL
 * and RUNLOG_TOKEN, against a real runlog over HTTP; its output, its exit codes and its errors.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, TestApp, TEST_JWT_SECRET, tokenFor } from '../support/test-app';

const BIN = path.join(__dirname, '..', '..', 'clients', 'node', 'bin', 'runlog.js');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined>, whileRunning?: () => Promise<void>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    void whileRunning?.();
  });
}

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
    for (const args of [['--help'], ['runs', '--help'], ['logs', '--help']]) {
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

  it('clear errors with a non-zero exit and no stack trace: unreachable server, no token, bad token, unknown run', async () => {
    const cases: Array<[Record<string, string | undefined>, string[], RegExp]> = [
      [{ ...env, RUNLOG_URL: 'http://127.0.0.1:9' }, ['runs'], /cannot reach runlog/],
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
    const ran = await cli(['token', '--role', 'admin', '--sub', 'cli-test', '--ttl', '1h'], { AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://unused' });
    expect(ran.code).toBe(0);
    const token = ran.stdout.trim();
    const res = await fetch(`${t.baseUrl}/api/v1/admin/batch/history?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // Built once, a token is signed without compiling again (npm run token compiled every time).
    const again = await cli(['token', '--role', 'user'], { AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://unused' });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/compiling/);
    const bad = await cli(['token', '--role', 'root'], { AUTH_JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: 'postgres://unused' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of/);
  }, 120_000);
});
