/**
 * PostgreSQL stopped for 15 s in the middle of the demo onboarding batch: the orchestrator's lines
 * are retried, then spooled to an fsynced file, then replayed in order; nothing is lost. HTTP
 * producers get 503 with Retry-After meanwhile, and /health says so. A spool that fills up fails the
 * run with a clear error instead of growing without bound.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import request from 'supertest';
import { setTimeout as sleep } from 'timers/promises';
import { DurableDispatcher } from '../../src/batch-runs/spool/durable-dispatcher';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { portfolioOnboardingBatch } from '../../src/orchestrator/portfolio-onboarding.batch';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

const PORTFOLIO = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

/** A PostgreSQL of this test's own, so it can be stopped and started without touching other suites. */
async function ownPostgres(dir: string, port?: number): Promise<EmbeddedDatabase> {
  return startEmbeddedPostgres({ dataDir: dir, database: 'runlog_test_outage', port });
}

function asTestDatabase(pg: EmbeddedDatabase): TestDatabase {
  return { url: pg.url, name: 'runlog_test_outage', drop: async () => undefined };
}

describe('database outage', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let pg: EmbeddedDatabase;
  let t: TestApp | null = null;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'runlog-outage-'));
    pg = await ownPostgres(dir);
  });
  afterEach(async () => {
    await t?.close();
    t = null;
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses none of the orchestrator lines over a 15 s outage, and answers HTTP producers 503 meanwhile', async () => {
    t = await startTestApp({ db: asTestDatabase(pg), listen: true, env: { SPOOL_AFTER_MS: '1000' } });
    const reference = await t.orchestrator.run(portfolioOnboardingBatch({ seconds: 0, seed: PORTFOLIO }), { portfolioId: PORTFOLIO });
    const expected = (await t.reader.readAll(reference.batchRunId))!.entries.map((e) => e.message.replace(/\d{4}-\d\d-\d\dT\S+/g, ''));

    const started = await t.orchestrator.start(portfolioOnboardingBatch({ seconds: 24, seed: PORTFOLIO }), { portfolioId: PORTFOLIO });
    await sleep(4000);
    const port = pg.port;
    await pg.stop(); // the database goes away mid-batch

    await sleep(2000);
    const service = `Bearer ${await tokenFor('service')}`;
    const health = await request(t.baseUrl).get('/health');
    expect(health.status).toBe(503);
    const append = await request(t.baseUrl)
      .post(`/api/v1/batch/runs/${started.batchRunId}/logs`)
      .set('Authorization', service)
      .send({ entries: [{ level: 'info', message: 'from an HTTP producer' }] });
    expect(append.status).toBe(503);
    expect(append.headers['retry-after']).toMatch(/^\d+$/);
    // An OpenTelemetry exporter gets the same 503 with Retry-After (it retries after it) from POST /v1/logs.
    const otlp = await request(t.baseUrl)
      .post('/v1/logs')
      .set('Authorization', service)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'runlog.batch_run_id', value: { stringValue: started.batchRunId } }] }, scopeLogs: [{ logRecords: [{ body: { stringValue: 'from an OTLP exporter' } }] }] }] }));
    expect(otlp.status).toBe(503);
    expect(otlp.headers['retry-after']).toMatch(/^\d+$/);
    expect(otlp.body).toMatchObject({ statusCode: 503, code: 'service_unavailable' });
    const dispatcher = t.app.get(DurableDispatcher);
    expect(dispatcher.pending).toBe(true); // the orchestrator kept going, onto the spool
    await sleep(13000);

    pg = await ownPostgres(dir, port); // back, on the same port
    const outcome = await started.done;
    await dispatcher.drained();
    expect(outcome.status).toBe('completed');
    expect(dispatcher.pending).toBe(false);
    expect(dispatcher.spooledBytes).toBe(0);

    const log = (await t.reader.readAll(started.batchRunId))!;
    expect(log.run.status).toBe('completed');
    expect(log.entries.map((e) => e.seq)).toEqual(log.entries.map((_, i) => i + 1));
    expect(log.entries.map((e) => e.message)).toEqual(expected);
    expect((await request(t.baseUrl).get('/health')).status).toBe(200);
  });

  it('fails the run with a clear error when the spool fills up, instead of growing without bound', async () => {
    t = await startTestApp({ db: asTestDatabase(pg), env: { SPOOL_AFTER_MS: '200', RUNLOG_SPOOL_MAX_BYTES: '2048' } });
    const started = await t.orchestrator.start(portfolioOnboardingBatch({ seconds: 6, seed: PORTFOLIO }), { portfolioId: PORTFOLIO });
    await sleep(1000);
    const port = pg.port;
    await pg.stop();
    await expect(started.done).rejects.toThrow(/spool is full/);
    pg = await ownPostgres(dir, port);
    const dispatcher = t.app.get(DurableDispatcher);
    await dispatcher.drained();

    const log = (await t.reader.readAll(started.batchRunId))!;
    expect(log.run.status).toBe('failed');
    expect(log.entries.map((e) => e.seq)).toEqual(log.entries.map((_, i) => i + 1));
    const last = log.entries[log.entries.length - 1];
    expect(last.level).toBe('error');
    expect(last.message).toMatch(/^run failed: the spool is full \(RUNLOG_SPOOL_MAX_BYTES=2048\).*log lines after seq \d+ were not stored$/);
    expect(dispatcher.spooledBytes).toBe(0);
  });
});
