/**
 * `npm run bench`: runlog against the limit PostgreSQL itself sets on the same machine, and against
 * a peer event store, in one run of at most a few minutes. Embedded PostgreSQL in a fresh temporary
 * cluster by default, or the server in DATABASE_URL (on which it creates and drops databases of its
 * own); with BENCH_DATABASE_URL, then that server as well, every section again, and the report shows
 * both. Prints the table and writes it to docs/benchmarks.md.
 *
 * BENCH_ROUNDS (default 5) sets the rounds per figure; BENCH_ONLY=ingest,http,downloads,snapshot,big,peer,partition,search
 * runs only some sections (and then writes docs/benchmarks.partial.md instead).
 */
import 'reflect-metadata';
import { execSync } from 'child_process';
import { writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Pool } from 'pg';
import { runMigrations } from '../src/database/migrate';
import { startBenchApp } from './lib/apps';
import { createBareTable } from './lib/baselines';
import { BenchDatabase, BenchTarget, benchTargets, openBenchDatabase } from './lib/db';
import { figuresMarkdown, missedTargets, Section, ServerRun } from './lib/report';
import { nowMs } from './lib/stats';
import { bigDownloadSection } from './sections/big-download';
import { downloadsSection } from './sections/downloads';
import { httpSection } from './sections/http';
import { ingestSection, IngestResults } from './sections/ingest';
import { partitionSection } from './sections/partition';
import { peerSection } from './sections/peer';
import { snapshotSection } from './sections/snapshot';
import { searchSection } from './sections/search';

const started = nowMs();
const log = (line: string) => console.log(`[${((nowMs() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`); // eslint-disable-line no-console

function cpuModel(): string {
  return os.cpus()[0]?.model?.trim() ?? 'unknown';
}

function diskOf(dir: string): string {
  try {
    return execSync(`df -h --output=source,fstype ${JSON.stringify(dir)} | tail -1`, { encoding: 'utf8' }).trim().replace(/\s+/g, ' ') || 'unknown';
  } catch {
    return 'unknown';
  }
}

interface ServerResult extends ServerRun {
  db: BenchDatabase;
  partitionVerdict: boolean | null;
  seconds: number;
  /** The disk under the server's data directory (read while it exists). */
  disk: string;
}

/** Every selected section on one server, in databases of its own there (dropped afterwards). */
async function benchServer(target: BenchTarget, rounds: number, wants: (id: string) => boolean): Promise<ServerResult> {
  const began = nowMs();
  const db = await openBenchDatabase(log, target);
  const disk = diskOf(db.dataDirectory ?? os.tmpdir());
  const sections: Section[] = [];
  let partitionVerdict: boolean | null = null;
  try {
    log(`== ${db.label}`);
    await runMigrations(db.url);
    const writer = await startBenchApp(db.url);
    const second = await startBenchApp(db.url);
    let ingest: IngestResults | null = null;
    let runs = { finishedRun: '', openRun: '' };
    // The baselines' own connections: one per producer or connection they play.
    const basePool = new Pool({ connectionString: db.url, max: 20, application_name: 'runlog-bench-baseline' });
    try {
      await createBareTable(basePool);
      if (wants('ingest') || wants('peer')) {
        log('1. in-process ingestion');
        const r = await ingestSection(writer, basePool, rounds, log);
        sections.push(r.section);
        ingest = r.results;
      }
      if (wants('http')) {
        log('2. HTTP ingestion');
        sections.push((await httpSection(writer, basePool, Math.min(rounds, 3), log)).section);
      }
      if (wants('downloads') || wants('peer') || wants('big')) {
        log('3. downloads');
        const d = await downloadsSection(writer, second, db.url, 30, log);
        runs = d;
        if (wants('downloads')) sections.push(d.section);
      }
      if (wants('big')) {
        log('4. 100,000-entry download');
        sections.push(await bigDownloadSection(writer, db.url, 3, log));
      }
      if (wants('snapshot')) {
        log('5. snapshot cost');
        sections.push(await snapshotSection(writer, db.url, log));
      }
      if (wants('peer') && ingest) {
        log('6. the peer (emmett)');
        sections.push(await peerSection(db.url, second, ingest, runs, Math.min(rounds, 3), log));
      }
    } finally {
      await basePool.end();
      await second.close();
      await writer.close();
    }
    if (wants('partition')) {
      log('7. time-partitioned entry table');
      const p = await partitionSection(db.createDatabase, Math.min(rounds, 3), log);
      sections.push(p.section);
      partitionVerdict = p.costsNothing;
    }
    if (wants('search')) {
      log('8. search');
      sections.push(await searchSection(db.createDatabase, Math.min(rounds, 3), log));
    }
  } finally {
    await db.stop();
  }
  return { db, label: db.label, sections, partitionVerdict, seconds: (nowMs() - began) / 1000, disk };
}

/** The header rows that describe one server. */
function serverRows(r: ServerResult): string[] {
  const where = r.db.embedded ? 'embedded, fresh cluster in the temp directory' : r.db.source;
  return [
    `| PostgreSQL | ${r.db.serverVersion} (${where}; disk ${r.disk}) |`,
    `| settings | ${Object.entries(r.db.settings).map(([k, v]) => `${k}=${v}`).join(', ')} |`,
  ];
}

function partitionLine(r: ServerResult): string {
  return r.partitionVerdict === null ? 'not measured in this run' : r.partitionVerdict ? 'costs nothing measurable' : 'costs something measurable (see section 7)';
}

async function main(): Promise<void> {
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  const wants = (id: string) => !only || only.has(id);
  const loadStart = os.loadavg();
  const targets = benchTargets();
  log(`runlog benchmark: ${rounds} rounds on ${targets.map((t) => t.source).join(' and ')}; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  const results: ServerResult[] = [];
  for (const target of targets) results.push(await benchServer(target, rounds, wants));
  const single = results.length === 1;
  const loadEnd = os.loadavg();
  const elapsed = (nowMs() - started) / 1000;
  const header = [
    '# runlog benchmarks',
    '',
    'Generated by `npm run bench` (bench/bench.ts); every figure is the median of several rounds, beside its baseline measured in the same process and the same run.',
    '',
    '| | |',
    '| --- | --- |',
    `| date | ${new Date().toISOString()} |`,
    `| machine | ${os.cpus().length} cores (${cpuModel()}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, ${os.type()} ${os.release()} |`,
    ...(single ? serverRows(results[0]) : []),
    `| Node.js | ${process.version} |`,
    `| runlog | GROUP_COMMIT_LANES=${process.env.GROUP_COMMIT_LANES || '2 (default)'}, GROUP_COMMIT_MAX_ENTRIES=${process.env.GROUP_COMMIT_MAX_ENTRIES || '20000 (default)'} |`,
    `| load average (1/5/15 min) | at start ${loadStart.map((l) => l.toFixed(2)).join(' / ')}; at end ${loadEnd.map((l) => l.toFixed(2)).join(' / ')} |`,
    `| rounds | ${rounds}; benchmark took ${elapsed.toFixed(0)} s |`,
    '',
    ...(single
      ? []
      : [
          `Every section ran on ${results.length} servers, one after the other: ${results.map((r) => r.label).join(', then ')}.`,
          '',
          ...results.flatMap((r) => [`### ${r.label}`, '', '| | |', '| --- | --- |', ...serverRows(r), `| sections took | ${r.seconds.toFixed(0)} s |`, '']),
        ]),
    'The benchmark process, its child processes and PostgreSQL share the machine\'s cores.',
    '',
  ];
  const misses = missedTargets(results);
  const summary = [
    '## Targets',
    '',
    misses.length === 0 ? 'Every target with a verdict was met in this run.' : `Missed in this run: ${misses.map((m) => `\n- ${m}`).join('')}`,
    '',
    new Set(results.map(partitionLine)).size === 1
      ? `Time partitioning of the entry table on one node: ${partitionLine(results[0])}.`
      : `Time partitioning of the entry table on one node: ${results.map((r) => `${partitionLine(r)} on ${r.label}`).join('; ')}.`,
    '',
    '## Figures',
    '',
  ];
  const body = figuresMarkdown(results);
  const doc = [...header, ...summary, body].join('\n');
  console.log(`\n${summary.join('\n')}\n${body}`); // eslint-disable-line no-console
  const target = only ? 'benchmarks.partial.md' : 'benchmarks.md';
  const docsDir = path.join(__dirname, '..', '..', 'docs');
  let analysis = '';
  try {
    analysis = require('fs').readFileSync(path.join(__dirname, '..', '..', 'bench', 'analysis.md'), 'utf8');
  } catch {
    analysis = '';
  }
  writeFileSync(path.join(docsDir, target), `${doc}\n${analysis ? `\n${analysis.trim()}\n` : ''}`);
  log(`wrote docs/${target} (${elapsed.toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}`); // eslint-disable-line no-console
    process.exit(1);
  },
);
