/**
 * 7. Does time-partitioning the entry table cost anything on one node? Two fresh databases on the
 * same server, both migrated; in one, batch_run_log_entries becomes a table partitioned by month of
 * "timestamp" (the DDL below, the only time column the table has, so no code changes). The same
 * workload runs on both, alternating: ingestion (8 producers, batches of 100), reading a
 * 5,000-entry log from the entry table, and the snapshot write of a 5,000-entry run (its finish).
 */
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { SQL } from '../../src/batch-runs/persistence/run.sql';
import { BenchApp, startBenchApp } from '../lib/apps';
import { withClient } from '../lib/db';
import { fmtInt, fmtMs, fmtPct, median, nowMs } from '../lib/stats';
import { Section, section } from '../lib/report';
import { runlogIngestRound } from './ingest';
import { writeRun } from './downloads';

/** Monthly range partitions from three months back to two ahead, and a default partition. */
export function partitionEntriesDdl(now = new Date()): string[] {
  const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  const name = (d: Date) => `batch_run_log_entries_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const parts = [];
  for (let k = -3; k <= 2; k++) {
    parts.push(`CREATE TABLE ${name(month(k))} PARTITION OF batch_run_log_entries FOR VALUES FROM ('${day(month(k))}') TO ('${day(month(k + 1))}')`);
  }
  return [
    `ALTER TABLE batch_run_log_entries RENAME TO batch_run_log_entries_unpartitioned`,
    `ALTER TABLE batch_run_log_entries_unpartitioned RENAME CONSTRAINT pk_batch_run_log_entries TO pk_batch_run_log_entries_unpartitioned`,
    `ALTER INDEX uq_batch_run_log_entries_record_uid RENAME TO uq_batch_run_log_entries_record_uid_unpartitioned`,
    `CREATE TABLE batch_run_log_entries (
       batch_run_id text NOT NULL,
       seq integer NOT NULL CHECK (seq >= 1),
       "timestamp" timestamptz NOT NULL,
       level text NOT NULL CHECK (level IN ('info', 'warning', 'error')),
       phase text NULL,
       message text NOT NULL,
       trace_id text NULL,
       span_id text NULL,
       record_uid text NULL,
       CONSTRAINT pk_batch_run_log_entries PRIMARY KEY (batch_run_id, seq, "timestamp")
     ) PARTITION BY RANGE ("timestamp")`,
    // A unique index of a partitioned table must hold the partition key, so the uid index is a plain one
    // here: the writer's lookup under the run's lock (SQL.storedEntryUids) is what keeps a uid once.
    `CREATE INDEX uq_batch_run_log_entries_record_uid ON batch_run_log_entries (batch_run_id, record_uid) WHERE record_uid IS NOT NULL`,
    ...parts,
    `CREATE TABLE batch_run_log_entries_default PARTITION OF batch_run_log_entries DEFAULT`,
    `INSERT INTO batch_run_log_entries SELECT * FROM batch_run_log_entries_unpartitioned`,
    `DROP TABLE batch_run_log_entries_unpartitioned`,
  ];
}

async function readEntries(app: BenchApp, id: string, count: number): Promise<number> {
  const t = nowMs();
  let n = 0;
  for await (const _ of app.repository.streamEntries(id, 0, count)) n += 1;
  if (n !== count) throw new Error(`read ${n} of ${count}`);
  return nowMs() - t;
}

export async function partitionSection(
  createDatabase: (suffix: string) => Promise<string | null>,
  rounds: number,
  log: (l: string) => void,
): Promise<{ section: Section; costsNothing: boolean | null; figures: Record<string, Record<string, number>> }> {
  const s = section('partition', `7. Time-partitioned entry table vs the plain table on one node (fresh databases, same workload, alternating), median of ${rounds} rounds`);
  const plainUrl = await createDatabase('plain');
  const partUrl = await createDatabase('part');
  if (!plainUrl || !partUrl) {
    s.notes.push('Skipped: the benchmark could not create databases on this server.');
    return { section: s, costsNothing: null, figures: {} };
  }
  await runMigrations(plainUrl);
  await runMigrations(partUrl);
  await withClient(partUrl, async (c) => {
    for (const statement of partitionEntriesDdl()) await c.query(statement);
  });
  const apps = { plain: await startBenchApp(plainUrl), partitioned: await startBenchApp(partUrl) };
  const m: Record<string, Record<string, number[]>> = { plain: {}, partitioned: {} };
  const add = (kind: string, key: string, v: number) => (m[kind][key] ??= []).push(v);
  try {
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['plain', 'partitioned'] as const) : (['partitioned', 'plain'] as const);
      for (const kind of order) {
        const app = apps[kind];
        add(kind, 'ingest', (await runlogIngestRound(app, { batch: 100, appends: 60 }, 8, `part-${kind}`)).rate);
        const id = `bench-part-${kind}-r${r}`;
        await writeRun(app, id, 5000, { finish: false });
        const reads: number[] = [];
        for (let i = 0; i < 12; i++) reads.push(await readEntries(app, id, 5000));
        add(kind, 'read', median(reads.slice(2)));
        const t = nowMs();
        await app.finish(id);
        add(kind, 'finish', nowMs() - t);
      }
      log(`  partition round ${r + 1}/${rounds}: ingest plain ${fmtInt(m.plain.ingest[r])}/s vs partitioned ${fmtInt(m.partitioned.ingest[r])}/s; read ${fmtMs(m.plain.read[r])} vs ${fmtMs(m.partitioned.read[r])}`);
    }
  } finally {
    await apps.plain.close();
    await apps.partitioned.close();
  }
  const med = (kind: string, key: string) => median(m[kind][key]);
  // Paired: each round measured both tables back to back (order alternating), so compare round by round.
  const ratios = (key: string) => m.partitioned[key].map((v, i) => v / m.plain[key][i]);
  const describe = (key: string, higherIsBetter: boolean) => {
    const r = ratios(key);
    const worse = r.filter((x) => (higherIsBetter ? x < 1 : x > 1)).length;
    return { median: median(r), min: Math.min(...r), max: Math.max(...r), worseIn: worse, rounds: r.length };
  };
  const ing = describe('ingest', true);
  const read = describe('read', false);
  const fin = describe('finish', false);
  const range = (d: { min: number; max: number }) => `${fmtPct(d.min)}–${fmtPct(d.max)}`;
  s.rows.push({ measure: 'ingestion, 8 producers, batch of 100 (entries/s)', value: fmtInt(med('partitioned', 'ingest')), baseline: `plain ${fmtInt(med('plain', 'ingest'))}`, ratio: `${fmtPct(ing.median)} (rounds ${range(ing)})`, target: '', verdict: 'info' });
  s.rows.push({ measure: 'read 5,000 entries from the entry table (time, median of 10)', value: fmtMs(med('partitioned', 'read')), baseline: `plain ${fmtMs(med('plain', 'read'))}`, ratio: `${fmtPct(read.median)} (rounds ${range(read)})`, target: '', verdict: 'info' });
  s.rows.push({ measure: 'finish of a 5,000-entry run (snapshot built from the entry table), time', value: fmtMs(med('partitioned', 'finish')), baseline: `plain ${fmtMs(med('plain', 'finish'))}`, ratio: `${fmtPct(fin.median)} (rounds ${range(fin)})`, target: '', verdict: 'info' });
  // Costs something measurable when, for some figure, the partitioned table was worse in every round
  // and by more than 5% in the median; otherwise the difference is within this machine's noise.
  const costly = (d: ReturnType<typeof describe>, higherIsBetter: boolean) =>
    d.worseIn === d.rounds && (higherIsBetter ? d.median < 0.95 : d.median > 1.05);
  // Planning: the reads are planned per download (a cursor over an unnamed statement); time the plan alone.
  const planning: Record<string, number[]> = { plain: [], partitioned: [] };
  const planClients = { plain: new Client({ connectionString: plainUrl }), partitioned: new Client({ connectionString: partUrl }) };
  await planClients.plain.connect();
  await planClients.partitioned.connect();
  try {
    for (let i = 0; i < 25; i++) {
      for (const kind of ['plain', 'partitioned'] as const) {
        const { rows } = await planClients[kind].query(`EXPLAIN (SUMMARY, COSTS OFF) ${SQL.entriesPage.text}`, ['bench-part-x', 0, 5000, 5000]);
        const line = rows.map((r) => r['QUERY PLAN'] as string).find((l) => l.startsWith('Planning Time'));
        if (i >= 5 && line) planning[kind].push(Number(/([\d.]+) ms/.exec(line)![1]));
      }
    }
  } finally {
    await planClients.plain.end();
    await planClients.partitioned.end();
  }
  const planRatios = planning.partitioned.map((v, i) => v / planning.plain[i]);
  const plan = { median: median(planRatios), min: Math.min(...planRatios), max: Math.max(...planRatios), worseIn: planRatios.filter((x) => x > 1).length, rounds: planRatios.length };
  s.rows.push({
    measure: 'planning the entry-table read (median of 20 EXPLAINs, warm)',
    value: fmtMs(median(planning.partitioned)),
    baseline: `plain ${fmtMs(median(planning.plain))}`,
    ratio: `${fmtPct(plan.median)} (${plan.worseIn} of ${plan.rounds} slower)`,
    target: '',
    verdict: 'info',
  });
  const planCostly = plan.worseIn >= plan.rounds * 0.9 && plan.median > 1.05;
  const costsNothing = !costly(ing, true) && !costly(read, false) && !costly(fin, false) && !planCostly;
  const plans: string[] = [];
  for (const [kind, url] of [['plain', plainUrl], ['partitioned', partUrl]] as const) {
    const plan = await withClient(url, async (c) => {
      const id = `bench-part-${kind}-r0`;
      const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${SQL.entriesPage.text}`, [id, 0, 5000, 5000]);
      return rows.map((r) => r['QUERY PLAN'] as string);
    });
    const scans = plan.filter((l) => /^\s*(->\s+)?(Index Scan|Index Only Scan|Seq Scan|Bitmap Heap Scan) /.test(l)).length;
    const timing = plan.filter((l) => /Planning Time|Execution Time/.test(l)).map((l) => l.trim()).join(', ');
    plans.push(`${kind}: ${scans} scan node(s)${plan.some((l) => l.includes('Merge Append')) ? ' under a Merge Append' : ''}; ${timing}`);
  }
  s.notes.push(
    `Rounds: ${['plain', 'partitioned'].map((k) => `${k}: ingest ${m[k].ingest.map(fmtInt).join(' / ')}, read ${m[k].read.map((v) => v.toFixed(1)).join(' / ')} ms, finish ${m[k].finish.map((v) => v.toFixed(1)).join(' / ')} ms`).join('; ')}.`,
    `EXPLAIN ANALYZE of the entry-table read (\`entriesPage\`, 5,000 rows): ${plans.join('; ')}. Without the partition key in the query every monthly partition's index is probed.`,
    `Verdict (measurable = worse in every round and by more than 5% in the median, for ingestion, reads or the snapshot write; or planning slower in at least 90% of the paired EXPLAINs and by more than 5%): ${costsNothing ? 'costs nothing measurable' : 'costs something measurable'}.`,
  );
  const figures = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([kk, vv]) => [kk, median(vv)]))]));
  return { section: s, costsNothing, figures };
}
