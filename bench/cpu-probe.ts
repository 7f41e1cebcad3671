/**
 * CPU time per entry, which varies far less on a shared machine than entries per second: drives one
 * workload in rounds and reads this process's CPU (process.cpuUsage) and the PostgreSQL processes'
 * (/proc/<pid>/stat, Linux, same machine) around each. bench/analysis.md quotes it.
 *
 *   npm run build && node dist/bench/cpu-probe.js ingest   # CommandBus appends: PROBE_BATCH (100), PROBE_APPENDS (60), 8 producers
 *   npm run build && node dist/bench/cpu-probe.js http     # single-line POSTs from 64 connections, or PROBE_ENTRIES per POST from 16 (the load generator is a child process)
 *
 * PROBE_ROUNDS (default 5); the server in PROBE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * on which a database of its own is created and dropped.
 */
import 'reflect-metadata';
import { execFile } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { runMigrations } from '../src/database/migrate';
import { serviceToken, startBenchApp } from './lib/apps';
import { benchLines, toEntries } from './lib/workload';

/** CPU milliseconds of every process named postgres (utime + stime, clock ticks of 10 ms). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // a process that ended meanwhile
    }
  }
  return ticks * 10;
}

async function measure(label: string, entries: number, work: () => Promise<void>): Promise<void> {
  const pg0 = postgresCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const pgMs = postgresCpuMs() - pg0;
  const perEntry = (us: number) => `${(us / entries).toFixed(1)} µs`;
  console.log(`${label}: ${Math.round((entries * 1000) / ms)} entries/s; per entry: node ${perEntry(cpu.user + cpu.system)}, postgres ${perEntry(pgMs * 1000)}`);
}

function loadGenerator(args: object): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [path.join(__dirname, 'http-client.js')], { env: { ...process.env, BENCH_HTTP_ARGS: JSON.stringify(args) }, maxBuffer: 1 << 26 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

async function main(): Promise<void> {
  const mode = process.argv[2] === 'http' ? 'http' : 'ingest';
  const rounds = Number(process.env.PROBE_ROUNDS ?? 5);
  const admin = process.env.PROBE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `runlog_probe_${Date.now()}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  try {
    await runMigrations(url);
    const app = await startBenchApp(url);
    const token = await serviceToken();
    try {
      for (let round = 0; round < rounds; round++) {
        if (mode === 'ingest') {
          const batch = Number(process.env.PROBE_BATCH ?? 100);
          const appends = Number(process.env.PROBE_APPENDS ?? 60);
          const ids = Array.from({ length: 8 }, (_, p) => `probe-r${round}-p${p}`);
          for (const id of ids) await app.start(id, []);
          const batches = ids.map((_, p) => Array.from({ length: appends }, (_, k) => toEntries(benchLines(batch, (p * appends + k) * batch))));
          await measure(`round ${round}, batch ${batch}`, ids.length * appends * batch, async () => {
            await Promise.all(
              ids.map(async (id, p) => {
                for (const entries of batches[p]) await app.append(id, entries);
              }),
            );
          });
          for (const id of ids) await app.finish(id);
        } else {
          const perPost = Number(process.env.PROBE_ENTRIES ?? 1);
          const runIds = Array.from({ length: perPost === 1 ? 64 : 16 }, (_, i) => `probe-h${round}-${i}`);
          for (const id of runIds) await app.start(id, []);
          // 30 requests per connection, plus the generator's one single-entry warm-up request each.
          await measure(`round ${round}, ${perPost} entries per POST (per entry)`, runIds.length * (30 * perPost + 1), () =>
            loadGenerator({ baseUrl: app.baseUrl, token, runIds, requests: 30, entries: perPost }),
          );
          for (const id of runIds) await app.finish(id);
        }
      }
    } finally {
      await app.close();
    }
  } finally {
    await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await client.end();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
