/**
 * The served OpenAPI document passes `redocly lint` with the project's redocly.yaml: 0 errors. Run
 * from node_modules, offline (telemetry and the update check off: this machine reaches no network).
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const REDOCLY = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location?: Array<{ pointer?: string }>;
}

describe('OpenAPI lint (redocly)', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    dir = mkdtempSync(path.join(tmpdir(), 'runlog-openapi-'));
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports 0 errors for /api/docs-json with redocly.yaml', async () => {
    const res = await request(t.baseUrl).get('/api/docs-json');
    expect(res.status).toBe(200);
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(res.body, null, 2));
    if (process.env.RUNLOG_OPENAPI_OUT) writeFileSync(process.env.RUNLOG_OPENAPI_OUT, JSON.stringify(res.body, null, 2));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json'],
      {
        cwd: dir,
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })); // exit code 1 when there are errors: judged below
    const problems: LintProblem[] = JSON.parse(stdout).problems;
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
    const warnings = problems.filter((p) => p.severity === 'warn').map((p) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
    if (process.env.RUNLOG_TEST_VERBOSE) console.log({ errors, warnings });
    expect(errors).toEqual([]);
  });
});
