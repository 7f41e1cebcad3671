/**
 * The HTTP ingestion load, run as a second process: `connections` keep-alive connections, each
 * POSTing `requests` bodies of `entries` lines to its own run, one request at a time per connection.
 * Prints one JSON line: entries acknowledged, elapsed ms, request latencies, failures.
 */
import * as http from 'http';
import { benchLines } from './lib/workload';

interface Args {
  baseUrl: string;
  token: string;
  runIds: string[];
  requests: number;
  entries: number;
}

function post(agent: http.Agent, url: URL, token: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
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
  const bodies = args.runIds.map((_, c) =>
    Array.from({ length: args.requests }, (_, k) => {
      const lines = benchLines(args.entries, (c * args.requests + k) * args.entries);
      return Buffer.from(JSON.stringify({ entries: lines.map((l) => ({ level: l.level, message: l.message, phase: l.phase })) }));
    }),
  );
  const urls = args.runIds.map((id) => new URL(`${args.baseUrl}/api/v1/batch/runs/${encodeURIComponent(id)}/logs`));
  // Warm-up: one single-entry request per connection opens the sockets before the clock starts.
  const warm = Buffer.from(JSON.stringify({ entries: [{ level: 'info', message: 'warm-up' }] }));
  await Promise.all(urls.map((u) => post(agent, u, args.token, warm)));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const start = now();
  await Promise.all(
    urls.map(async (u, c) => {
      for (const body of bodies[c]) {
        const t = now();
        const status = await post(agent, u, args.token, body);
        latencies.push(now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const ms = now() - start;
  agent.destroy();
  const ok = statuses['201'] ?? 0;
  process.stdout.write(`${JSON.stringify({ entries: ok * args.entries, ms, statuses, latencies })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
