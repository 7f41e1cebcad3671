/**
 * POST /v1/logs with the OpenTelemetry JS SDK's own exporters (OTLP/HTTP JSON and protobuf): a job that
 * only emits log records makes a whole run; a retried export is stored once (log.record.uid); a mixed
 * request is stored in part and the rest counted; a finish that overtakes earlier records loses none.
 */
import * as generated from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { gzipSync } from 'zlib';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const v1 = (generated as any).opentelemetry.proto.collector.logs.v1;

const GRACE_MS = 400;
const JOB = path.join(__dirname, 'otel-job.js');

interface Emitted {
  message: string;
  level: 'info' | 'warning' | 'error';
  phase: string | null;
  timestamp: string;
}

describe('OTLP/HTTP logs receiver (POST /v1/logs)', () => {
  let t: TestApp;
  let service: string;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, config: { otlpFinishGraceMs: GRACE_MS } });
    service = await tokenFor('service');
  });
  afterAll(() => t?.close());

  async function admin(path: string): Promise<Json> {
    const res = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${await tokenFor('admin')}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  }
  const logOf = (id: string) => admin(`/api/v1/admin/batch/history/${id}/logs?format=json`);

  function post(body: Buffer | string, contentType: string, headers: Record<string, string> = {}, token: string | null = service) {
    return fetch(`${t.baseUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body,
    });
  }

  /** The job (otel-job.js) as its own process, configured only by the SDK's environment variables. */
  async function runJob(encoding: 'json' | 'protobuf', mode: 'phases' | 'retry', endpoint: string, resource: string): Promise<Emitted[]> {
    const env = {
      PATH: process.env.PATH,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${service}`,
      OTEL_RESOURCE_ATTRIBUTES: `service.name=nightly-import,${resource}`,
    };
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) => {
      const child = spawn(process.execPath, [JOB, encoding, mode], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (c) => resolve({ stdout: out, stderr: err, code: c }));
    });
    if (code !== 0) throw new Error(`the job failed (${code}): ${stderr}`);
    return JSON.parse(stdout) as Emitted[];
  }

  for (const encoding of ['json', 'protobuf'] as const) {
    it(`a job that only emits records through the SDK's ${encoding} exporter makes a complete run: started, three phases, finished, every record in order`, async () => {
      const id = `otlp-job-${encoding}`;
      const portfolio = randomUUID();
      const emitted = await runJob(encoding, 'phases', `${t.baseUrl}/v1/logs`, `runlog.batch_run_id=${id},runlog.portfolio_id=${portfolio},runlog.owner_id=owner-7`);

      const log = await logOf(id);
      expect(log).toMatchObject({ batch_run_id: id, status: 'completed', portfolio_id: portfolio, owner_id: 'owner-7', completed_jobs: 180, failed_jobs: 0 });
      expect(log.started_at).toBe(emitted[0].timestamp); // the first record's time
      expect(log.entries.map((e: Json) => ({ message: e.message, level: e.level, phase: e.phase, timestamp: e.timestamp }))).toEqual(emitted);
      expect(log.entries.map((e: Json) => e.seq)).toEqual(emitted.map((_, i) => i + 1));
      const details = await admin(`/api/v1/admin/batch/history/${id}`);
      expect(details.phases.map((p: Json) => [p.name, p.status, p.completed_jobs])).toEqual([
        ['extract', 'completed', 60],
        ['transform', 'completed', 60],
        ['load', 'completed', 60],
      ]);
    });
  }

  it('an export whose answer is lost is sent again by the exporter and stored once (log.record.uid); trace and span ids are kept and shown', async () => {
    // A proxy that lets the first export reach runlog, then resets the connection instead of answering: the SDK retries ECONNRESET.
    let exports = 0;
    const proxy = http.createServer((req, res) => {
      exports += 1;
      const cut = exports === 1;
      const upstream = http.request(`${t.baseUrl}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        if (cut) {
          answer.resume();
          answer.on('end', () => req.socket.resetAndDestroy());
          return;
        }
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const id = 'otlp-retried';
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const spanId = '00f067aa0ba902b7';
      await runJob('protobuf', 'retry', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1/logs`, `runlog.batch_run_id=${id}`);
      expect(exports).toBeGreaterThanOrEqual(2); // the cut one and its retry

      const log = await logOf(id);
      expect(log.entries.map((e: Json) => e.message)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i}`));
      expect(log.entries[0]).toMatchObject({ trace_id: traceId, span_id: spanId });
      const txt = await (await fetch(`${t.baseUrl}/api/v1/admin/batch/history/${id}/logs?format=txt`, { headers: { authorization: `Bearer ${await tokenFor('admin')}` } })).text();
      expect(txt).toContain(` INFO trace_id=${traceId} span_id=${spanId} line 0\n`);
      const { rows } = await t.pool.query(`SELECT count(*)::int AS n, count(DISTINCT record_uid)::int AS uids FROM batch_run_log_entries WHERE batch_run_id = $1`, [id]);
      expect(rows[0]).toEqual({ n: 30, uids: 30 });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  const record = (body: string, attributes: Json = {}, timeUnixNano?: string) => ({
    ...(timeUnixNano ? { timeUnixNano } : {}),
    body: { stringValue: body },
    attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
  });
  const resourceLogs = (batchRunId: string | null, records: Json[]) => ({
    resource: { attributes: batchRunId ? [{ key: 'runlog.batch_run_id', value: { stringValue: batchRunId } }] : [] },
    scopeLogs: [{ scope: { name: 'test' }, logRecords: records }],
  });

  it('a mixed request: the good records are stored, the others counted in partialSuccess with why (JSON and protobuf)', async () => {
    await fetch(`${t.baseUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${service}` },
      body: JSON.stringify({ resourceLogs: [resourceLogs('otlp-finished', [record('done', { 'runlog.run.status': 'completed' })])] }),
    });
    const mixed = {
      resourceLogs: [
        resourceLogs('otlp-mixed', [record('kept 1'), record('bad \u0000 nul'), record('kept 2', { 'runlog.phase': ' ' }), record('kept 3')]),
        resourceLogs(null, [record('no run')]),
        resourceLogs('otlp-finished', [record('too late')]),
      ],
    };
    const res = await post(JSON.stringify(mixed), 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = (await res.json()) as Json;
    expect(answer.partialSuccess.rejectedLogRecords).toBe(4);
    expect(answer.partialSuccess.errorMessage).toMatch(/NUL/);
    expect(answer.partialSuccess.errorMessage).toMatch(/runlog\.batch_run_id is missing/);
    expect(answer.partialSuccess.errorMessage).toMatch(/already finished/);
    expect((await logOf('otlp-mixed')).entries.map((e: Json) => e.message)).toEqual(['kept 1', 'kept 3']);
    expect((await logOf('otlp-finished')).entries.map((e: Json) => e.message)).toEqual(['done']);

    // The same in protobuf: the answer is an ExportLogsServiceResponse in protobuf.
    const body = Buffer.from(v1.ExportLogsServiceRequest.encode(v1.ExportLogsServiceRequest.fromObject({
      resourceLogs: [{ resource: { attributes: [{ key: 'runlog.batch_run_id', value: { stringValue: 'otlp-mixed' } }] }, scopeLogs: [{ logRecords: [{ body: { stringValue: 'kept 4' } }, { body: {} }] }] }],
    })).finish());
    const pres = await post(body, 'application/x-protobuf');
    expect(pres.status).toBe(200);
    expect(pres.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = v1.ExportLogsServiceResponse.toObject(v1.ExportLogsServiceResponse.decode(Buffer.from(await pres.arrayBuffer())), { longs: Number });
    expect(decoded.partialSuccess).toEqual({ rejectedLogRecords: 1, errorMessage: 'the record has no body (the entry message)' });
    expect((await logOf('otlp-mixed')).entries.map((e: Json) => e.message)).toEqual(['kept 1', 'kept 3', 'kept 4']);
  });

  it('a finish that arrives before records emitted earlier loses none of them: they are stored during OTLP_FINISH_GRACE_MS', async () => {
    const id = 'otlp-overtaken';
    const t0 = BigInt(Date.now() - 10_000) * 1_000_000n;
    const ns = (i: number) => String(t0 + BigInt(i) * 1_000_000n);
    const late = { resourceLogs: [resourceLogs(id, [record('step 1', {}, ns(1)), record('step 2', {}, ns(2))])] };
    const finishing = { resourceLogs: [resourceLogs(id, [record('step 3', {}, ns(3)), record('all done', { 'runlog.run.status': 'failed' }, ns(4))])] };
    const began = Date.now();
    const finished = post(JSON.stringify(finishing), 'application/json');
    await sleep(GRACE_MS / 4);
    const lateRes = await post(JSON.stringify(late), 'application/json');
    expect(lateRes.status).toBe(200);
    expect(await lateRes.json()).toEqual({});
    const finishedRes = await finished;
    expect(finishedRes.status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(GRACE_MS); // answered after the grace, once the run is finished
    const log = await logOf(id);
    expect(log.status).toBe('failed');
    // Entries are in the order runlog received them (seq), each with its record's time.
    expect(log.entries.map((e: Json) => e.message)).toEqual(['step 3', 'all done', 'step 1', 'step 2']);
    expect(log.entries.map((e: Json) => e.timestamp)).toEqual([3, 4, 1, 2].map((i) => new Date(Number(BigInt(ns(i)) / 1_000_000n)).toISOString()));
    // After the finish, records of the run are refused and counted.
    const after = await post(JSON.stringify(late), 'application/json');
    expect(((await after.json()) as Json).partialSuccess.rejectedLogRecords).toBe(2);
  });

  it('the same records sent twice at once are stored once; gzip bodies are read', async () => {
    const id = 'otlp-twice';
    const request = JSON.stringify({ resourceLogs: [resourceLogs(id, Array.from({ length: 50 }, (_, i) => record(`r${i}`, { 'log.record.uid': `u${i}` })))] });
    const answers = await Promise.all([post(request, 'application/json'), post(gzipSync(request), 'application/json', { 'content-encoding': 'gzip' })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect((await logOf(id)).entries.map((e: Json) => e.message)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
  });

  it('refuses what is not an OTLP request of an allowed caller, with the error shape, storing nothing', async () => {
    const body = JSON.stringify({ resourceLogs: [resourceLogs('otlp-refused', [record('x')])] });
    const expectError = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ statusCode: status, code });
    };
    await expectError(await post(body, 'application/json', {}, null), 401, 'unauthorized');
    await expectError(await post(body, 'application/json', {}, await tokenFor('user')), 403, 'forbidden');
    await expectError(await post(body, 'text/plain'), 415, 'unsupported_media_type');
    await expectError(await post('{"resourceLogs": [', 'application/json'), 400, 'malformed_otlp');
    await expectError(await post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff]), 'application/x-protobuf'), 400, 'malformed_otlp');
    await expectError(await post(gzipSync(Buffer.alloc(6 * 1024 * 1024, 0x20)), 'application/json', { 'content-encoding': 'gzip' }), 413, 'payload_too_large');
    await expectError(await post(body, 'application/json', { 'content-encoding': 'br-nope' }), 415, 'unsupported_media_type');
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_history WHERE batch_run_id = 'otlp-refused'`);
    expect(rows[0].n).toBe(0);
  });
});
