/**
 * The Python client (clients/python/runlog_client.py) run by the machine's python3, as a job runs
 * it: its unit tests (levels, limits, the buffer bound), then a job of two phases and 2,000 records
 * (clients/python/job_example.py, plain `logging` with the handler added) through a kill -9 of the
 * whole runlog process group and a restart on the same port: every record stored once, in order,
 * and the run finished. Without python3 the suite is skipped with a warning, except in CI
 * (CI=true), where .ci/run installs it and a missing python3 fails.
 */
import { ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { signToken } from '../../src/auth/token.service';
import { findFreePort } from '../../src/common/free-port';
import { buildService, repoRoot, startService, ServiceProcess } from '../support/service-process';

const PYTHON_DIR = path.join(repoRoot(), 'clients', 'python');
/** No __pycache__ left in the checkout. */
const PYTHON_ENV = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import sys; assert sys.version_info >= (3, 9)'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const python = hasPython();
if (!python && process.env.CI !== 'true') console.warn('python3 (3.9+) not found: the Python client tests are skipped');
const describePython = python || process.env.CI === 'true' ? describe : describe.skip;

describePython('Python client', () => {
  it('is found (python3 3.9 or later)', () => expect(python).toBe(true));

  it('passes its unit tests: level mapping, UTF-16 limits and split markers, the buffer bound', () => {
    const run = spawnSync('python3', ['-m', 'unittest', '-v', 'test_runlog_client'], { cwd: PYTHON_DIR, env: PYTHON_ENV, encoding: 'utf8', timeout: 60_000 });
    const output = `${run.stdout}${run.stderr}`;
    const status = run.status;
    // unittest reports on stderr; "OK" only when every test passed, and all 8 ran.
    expect({ status, ran: /Ran (\d+) tests?/.exec(output)?.[1], ok: /\nOK\n/.test(output) }).toEqual({ status: 0, ran: '8', ok: true });
  }, 90_000);

  describe('a logging job through a kill -9 of runlog', () => {
    const SECRET = 'python-client-kill-test-secret-0123456789abcdef';
    let dataDir: string;
    let svc: ServiceProcess | undefined;
    let job: ChildProcessWithoutNullStreams | undefined;

    beforeAll(async () => {
      await buildService();
      dataDir = mkdtempSync(path.join(tmpdir(), 'runlog-python-kill-'));
    }, 180_000);
    afterAll(async () => {
      job?.kill('SIGKILL');
      await svc?.kill9().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('2,000 records in 2 phases arrive exactly once, in order, with their levels and phases; the run finishes completed', async () => {
      const RECORDS = 2000;
      const port = await findFreePort();
      const env = { PORT: String(port), RUN_LEASE_SECONDS: '3600' };
      svc = await startService({ dataDir, jwtSecret: SECRET, env });
      const token = await signToken(SECRET, { sub: 'python-job', role: 'service', ttl: '1h' });
      const admin = await signToken(SECRET, { sub: 'python-admin', role: 'admin', ttl: '1h' });

      job = spawn('python3', ['job_example.py', svc.baseUrl, token, String(RECORDS)], { cwd: PYTHON_DIR, env: PYTHON_ENV });
      let stdout = '';
      let stderr = '';
      job.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => job!.on('exit', (code) => resolve(code)));
      const killed = { at: 0, restarted: false, gone: Promise.resolve() };
      const faults = new Promise<void>((resolve, reject) => {
        job!.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          // Power cut while the job logs (records in flight and buffered), back when the first phase ends.
          if (!killed.at && stdout.includes('emitted 700\n')) {
            killed.at = Date.now();
            killed.gone = svc!.kill9();
          }
          if (killed.at && !killed.restarted && stdout.includes('emitted 1000\n')) {
            killed.restarted = true;
            killed.gone.then(() => startService({ dataDir, jwtSecret: SECRET, env })).then((restarted) => {
              svc = restarted;
              resolve();
            }, reject);
          }
        });
      });
      await faults;
      const code = await exited;
      job = undefined;
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const done = /done (\S+) dropped=(\d+)/.exec(stdout);
      expect(done?.[2]).toBe('0');
      const runId = done![1];

      const res = await fetch(`${svc.baseUrl}/api/v1/admin/batch/history/${runId}/logs?format=ndjson`, { headers: { Authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      const entries = (await res.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; level: string; phase: string; message: string });
      expect(entries.map((e) => e.message)).toEqual(Array.from({ length: RECORDS }, (_, i) => `record ${i + 1}`));
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: RECORDS }, (_, i) => i + 1));
      expect(entries.filter((e) => e.level === 'warning').map((e) => e.seq)).toEqual(Array.from({ length: RECORDS / 100 }, (_, i) => (i + 1) * 100));
      expect(entries[RECORDS / 2 - 1].phase).toBe('extract');
      expect(entries[RECORDS / 2].phase).toBe('load');

      const run = await (await fetch(`${svc.baseUrl}/api/v1/admin/batch/history/${runId}`, { headers: { Authorization: `Bearer ${admin}` } })).json();
      expect(run.status).toBe('completed');
      expect(await svc.stop()).toBe(0);
      svc = undefined;
    }, 180_000);
  });
});
