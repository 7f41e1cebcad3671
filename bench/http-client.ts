/**
 * The HTTP ingestion load, run as a second process: `connections` keep-alive connections, each
 * POSTing `requests` bodies of `entries` lines to its own run, one request at a time per connection.
 * Prints one JSON line: entries acknowledged, elapsed ms, request latencies, failures.
 *
 * protocol `rest` (default): POST /api/v1/batch/runs/:id/logs, JSON. `otlp`: POST /v1/logs, an OTLP
 * ExportLogsServiceRequest in protobuf (encoded with the OTLP schema's generated module, the bytes an
 * SDK exporter sends), one resource per run; a 200 counts only when nothing was rejected.
 */
import * as http from 'http';
import * as generated from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { benchLines } from './lib/workload';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const otlp = (generated as any).opentelemetry.proto.collector.logs.v1;
const SEVERITY: Record<string, number> = { info: 9, warning: 13, error: 17 };

interface Args {
  baseUrl: string;
  token: string;
  runIds: string[];
  requests: number;
  entries: number;
  protocol?: 'rest' | 'otlp';
}

type Line = ReturnType<typeof benchLines>[number];

function restBody(lines: Line[]): Buffer {
  return Buffer.from(JSON.stringify({ entries: lines.map((l) => ({ level: l.level, message: l.message, phase: l.phase })) }));
}

function otlpBody(runId: string, lines: Line[]): Buffer {
  const nanos = String(BigInt(Date.now()) * 1_000_000n);
  const request = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'runlog.batch_run_id', value: { stringValue: runId } }] },
        scopeLogs: [
          {
            scope: { name: 'bench' },
            logRecords: lines.map((l) => ({
              timeUnixNano: nanos,
              severityNumber: SEVERITY[l.level],
              body: { stringValue: l.message },
              attributes: l.phase ? [{ key: 'runlog.phase', value: { stringValue: l.phase } }] : [],
            })),
          },
        ],
      },
    ],
  };
  return Buffer.from(otlp.ExportLogsServiceRequest.encode(otlp.ExportLogsServiceRequest.fromObject(request)).finish());
}

/** The status, or 'rejected' for an OTLP answer of 200 that reports rejected records (a non-empty body). */
function post(agent: http.Agent, url: URL, token: string, body: Buffer, contentType: string): Promise<number | 'rejected'> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length, authorization: `Bearer ${token}` } },
      (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () => resolve(contentType === 'application/x-protobuf' && res.statusCode === 200 && bytes > 0 ? 'rejected' : (res.statusCode ?? 0)));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.env.BENCH_HTTP_ARGS ?? '{}') as Args;
  const agent = new http.Agent({ keepAlive: true, maxSockets: args.runIds.length });
  const isOtlp = args.protocol === 'otlp';
  const contentType = isOtlp ? 'application/x-protobuf' : 'application/json';
  const bodyOf = (runId: string, lines: Line[]) => (isOtlp ? otlpBody(runId, lines) : restBody(lines));
  const bodies = args.runIds.map((id, c) =>
    Array.from({ length: args.requests }, (_, k) => bodyOf(id, benchLines(args.entries, (c * args.requests + k) * args.entries))),
  );
  const urls = args.runIds.map((id) => new URL(isOtlp ? `${args.baseUrl}/v1/logs` : `${args.baseUrl}/api/v1/batch/runs/${encodeURIComponent(id)}/logs`));
  // Warm-up: one single-entry request per connection opens the sockets before the clock starts.
  await Promise.all(urls.map((u, c) => post(agent, u, args.token, bodyOf(args.runIds[c], benchLines(1, 0)), contentType)));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const start = now();
  await Promise.all(
    urls.map(async (u, c) => {
      for (const body of bodies[c]) {
        const t = now();
        const status = await post(agent, u, args.token, body, contentType);
        latencies.push(now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const ms = now() - start;
  agent.destroy();
  const ok = statuses[isOtlp ? '200' : '201'] ?? 0;
  process.stdout.write(`${JSON.stringify({ entries: ok * args.entries, ms, statuses, latencies })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
