/**
 * 8. Search (issue #14 §1), on a database of its own:
 * (a) what the background indexer costs ingestion: batch-100 in-process appends (8 producers) with the
 *     indexer at its defaults and with it disabled (SEARCH_INDEX_INTERVAL_MS=0), alternating, each round in
 *     a fresh instance so that only one indexer (or none) runs at a time; and how much it indexed meanwhile.
 * (b) a search over 1,000,000 entries in 200 runs (loaded with INSERT ... SELECT generate_series, chunks
 *     built by the indexer's own statement, in bulk): GET /api/v1/admin/search against the same query in
 *     bare SQL through the same trigram index, and against the unindexed scan of the entry table.
 */
import { Pool, PoolClient } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { SearchIndexer } from '../../src/batch-runs/search/search-indexer';
import { SEARCH_SQL } from '../../src/batch-runs/search/search.sql';
import { likePattern } from '../../src/batch-runs/search/search.pattern';
import { adminToken, startBenchApp } from '../lib/apps';
import { download } from '../lib/http';
import { Section, section, verdict } from '../lib/report';
import { fmtInt, fmtMs, fmtPct, fmtRatio, median, nowMs, parallel } from '../lib/stats';
import { runlogIngestRound } from './ingest';

const RUNS = 200;
const PER_RUN = 5000;
/** A rare line: in 10 runs, 3 times each. */
const NEEDLE = 'ledger-7 handshake refused';
const NEEDLE_RUNS = 10;
/** A common one: 1% of all lines (every run). */
const COMMON = 'checksum mismatch';

/** 200 finished runs of 5,000 entries each, a minute apart, as the benchmark's log lines (workload.ts) in SQL. */
export async function loadRuns(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO batch_run_history (id, batch_run_id, status, started_at, completed_at, last_seq, stream_version)
     SELECT md5('bench-search-' || r)::uuid, 'bench-search-' || lpad(r::text, 3, '0'), 'completed',
            timestamptz '2026-01-01' + make_interval(mins => r), timestamptz '2026-01-01' + make_interval(mins => r, secs => 30), $1, 1
     FROM generate_series(1, $2) r`,
    [PER_RUN, RUNS],
  );
  // One statement per 20 runs: 100,000 rows each.
  await parallel(2, async (half) => {
    for (let from = 1 + half * (RUNS / 2); from <= (half + 1) * (RUNS / 2); from += 20) {
      await pool.query(
        `INSERT INTO batch_run_log_entries (batch_run_id, seq, "timestamp", level, phase, message)
         SELECT 'bench-search-' || lpad(r::text, 3, '0'), s, timestamptz '2026-01-01' + make_interval(mins => r, secs => s / 200),
                CASE WHEN s % 100 = 99 THEN 'error' WHEN s % 20 = 19 THEN 'warning' ELSE 'info' END, 'ingest',
                CASE WHEN r <= $3 AND s IN (1234, 2345, 4321) THEN 'job ' || s || ': ' || '${NEEDLE}' || ' by custodian, retrying in 30 s'
                     WHEN s % 100 = 99 THEN 'job ' || s || ': ' || (ARRAY['custodian','market-data','fx-rates','reference','corporate-actions'])[s % 5 + 1]
                          || ' feed rejected position file ' || (s * 7919) % 100000 || '.csv (checksum mismatch), will retry'
                     ELSE 'job ' || s || ': priced ' || (s * 37) % 500 || ' positions of portfolio ' || (s * 131 + r) % 9973 || ' from '
                          || (ARRAY['custodian','market-data','fx-rates','reference','corporate-actions'])[s % 5 + 1] || ' feed in ' || (s * 13) % 900 || ' ms' END
         FROM generate_series($1::int, $2::int) r, generate_series(1, ${PER_RUN}) s`,
        [from, Math.min(from + 19, (half + 1) * (RUNS / 2)), NEEDLE_RUNS],
      );
    }
  });
}

/**
 * The same search in bare SQL through the same trigram index: runlog's own two statements (the runs with
 * their counts and first seqs, then those entries by primary key), sent directly on one connection in
 * a transaction with runlog's settings. What the route adds is HTTP, the token, validation, ranges, JSON.
 * (A hand-written single statement joining chunks to entries was planned far worse on PostgreSQL 15: the
 * seq range became a join filter, 167 ms for the rare line and 42-56 s for the common phrase.)
 */
async function bareIndexed(client: PoolClient, q: string): Promise<number> {
  const p = likePattern(q);
  const { rows } = await client.query({ ...SEARCH_SQL.runsWithMatches.substring, values: [p, p, null, null, null, null, null, null, null, null, 21] });
  const page = rows.slice(0, 20);
  const ids = page.flatMap((r) => r.first_seqs.map(() => r.batch_run_id));
  await client.query({ ...SEARCH_SQL.entriesAt.substring, values: [ids, page.flatMap((r) => r.first_seqs)] });
  return Math.min(rows.length, 20);
}

/** The unindexed scan: the same answer from the entry table alone. */
const BARE_SCAN = `
  SELECT e.batch_run_id, count(*) AS n, (array_agg(e.seq ORDER BY e.seq))[1:3] AS first
  FROM batch_run_log_entries e JOIN batch_run_history h USING (batch_run_id)
  WHERE e.message ILIKE $1
  GROUP BY e.batch_run_id, h.started_at ORDER BY h.started_at DESC, e.batch_run_id DESC LIMIT 20`;

export async function searchSection(createDatabase: (suffix: string) => Promise<string | null>, rounds: number, log: (l: string) => void): Promise<Section> {
  const s = section('search', '8. Search: the background index\'s cost to ingestion, and a search over 1,000,000 entries in 200 runs');
  const url = await createDatabase('search');
  if (!url) {
    s.notes.push('Not measured: no database of its own could be created.');
    return s;
  }
  await runMigrations(url);
  const pool = new Pool({ connectionString: url, max: 4, application_name: 'runlog-bench-search' });
  try {
    const trigram = (await pool.query(SEARCH_SQL.hasTrigramIndex)).rows[0].indexed as boolean;

    // (a) ingestion with the indexer at its defaults and without it, alternating, one instance per round.
    const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
    const indexed: number[] = [];
    const cfg = { batch: 100, appends: 150 };
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const app = await startBenchApp(url, mode === 'off' ? { SEARCH_INDEX_INTERVAL_MS: '0' } : {});
        try {
          const before = Number((await pool.query(`SELECT COALESCE(sum(search_indexed_seq), 0)::bigint AS n FROM batch_run_history`)).rows[0].n);
          const t = nowMs();
          const { rate } = await runlogIngestRound(app, cfg, 8, `search-${mode}`);
          const seconds = (nowMs() - t) / 1000;
          rates[mode].push(rate);
          if (mode === 'on') {
            const after = Number((await pool.query(`SELECT COALESCE(sum(search_indexed_seq), 0)::bigint AS n FROM batch_run_history`)).rows[0].n);
            indexed.push((after - before) / seconds);
          }
        } finally {
          await app.close();
        }
      }
      log(`  search ingestion round ${r + 1}/${rounds}: indexer off ${fmtInt(rates.off[r])}/s, on ${fmtInt(rates.on[r])}/s`);
    }
    const off = median(rates.off);
    const on = median(rates.on);
    const cost = 1 - on / off;
    s.rows.push({
      measure: 'batch-100 appends (8 producers) with the indexer at its defaults (SEARCH_INDEX_INTERVAL_MS=1000, SEARCH_INDEX_BATCH_ENTRIES=5000)',
      value: `${fmtInt(on)}/s`,
      baseline: `indexer off ${fmtInt(off)}/s`,
      ratio: `cost ${fmtPct(cost)}`,
      target: '≤ 15%',
      verdict: verdict(cost <= 0.15),
    });
    s.notes.push(
      `Ingestion rounds (entries/s): off ${rates.off.map(fmtInt).join(' / ')}; on ${rates.on.map(fmtInt).join(' / ')}. ` +
        `While ingesting, the indexer indexed ${indexed.map(fmtInt).join(' / ')} entries/s (its budget: 5,000 a tick); what it has not reached is scanned by each search.`,
    );

    // (b) 1,000,000 entries in 200 runs; chunks built by the indexer's own statement.
    await pool.query(`TRUNCATE batch_run_log_search, batch_run_log_entries, batch_run_history, batch_run_events, batch_run_leases`);
    let t = nowMs();
    await loadRuns(pool);
    const loadMs = nowMs() - t;
    // The common phrase takes seconds: past the default statement timeout it would be refused (search_too_broad).
    const app = await startBenchApp(url, { SEARCH_INDEX_INTERVAL_MS: '0', SEARCH_STATEMENT_TIMEOUT_MS: '120000' });
    try {
      const indexer = app.app.get(SearchIndexer);
      const ids = (await pool.query<{ batch_run_id: string }>(`SELECT batch_run_id FROM batch_run_history ORDER BY 1`)).rows.map((r) => r.batch_run_id);
      t = nowMs();
      let next = 0;
      await parallel(2, async () => {
        while (next < ids.length) await indexer.indexRun(ids[next++], PER_RUN);
      });
      const indexMs = nowMs() - t;
      await pool.query(`VACUUM ANALYZE batch_run_log_entries`);
      await pool.query(`VACUUM ANALYZE batch_run_log_search`);
      await pool.query(`VACUUM ANALYZE batch_run_history`);
      const chunks = (await pool.query(`SELECT count(*)::int AS n, pg_total_relation_size('batch_run_log_search') AS bytes FROM batch_run_log_search`)).rows[0];
      log(`  search: loaded ${fmtInt(RUNS * PER_RUN)} entries in ${fmtMs(loadMs)}, indexed in ${fmtMs(indexMs)} (${chunks.n} chunks)`);

      const token = await adminToken();
      const routeOnce = async (q: string) => {
        const d = await download(`${app.baseUrl}/api/v1/admin/search?q=${encodeURIComponent(q)}&limit=20`, token, 1_000_000);
        if (d.status !== 200) throw new Error(`search answered ${d.status}: ${d.head.slice(0, 300)}`);
        return { ms: d.totalMs, rows: JSON.parse(d.head).runs.length as number };
      };
      const client = await pool.connect();
      const bareOnce = async (q: string) => {
        const start = nowMs();
        await client.query('BEGIN');
        await client.query(SEARCH_SQL.settings, ['600000']);
        const rows = await bareIndexed(client, q);
        await client.query('COMMIT');
        return { ms: nowMs() - start, rows };
      };
      const scanOnce = async (q: string) => {
        const start = nowMs();
        const rows = (await client.query(BARE_SCAN, [`%${q}%`])).rowCount ?? 0;
        return { ms: nowMs() - start, rows };
      };
      try {
        for (const [label, q, targets, iterations] of [
          ['a rare line (30 matches in 10 runs)', NEEDLE, true, 10 * rounds],
          ['a common phrase (1% of lines: 10,000 matches in all 200 runs; first page of 20)', COMMON, false, rounds],
        ] as const) {
          // Warm-up: each read-pool connection (READ_POOL_MAX, default 4) prepares the statements once, as the bare connection does.
          for (let i = 0; i < 8; i++) await routeOnce(q);
          for (let i = 0; i < 2; i++) await bareOnce(q);
          // Interleaved, so both see the same load on the machine.
          const times = { route: [] as number[], bare: [] as number[], scan: [] as number[] };
          const answers = new Set<number>();
          for (let i = 0; i < iterations; i++) {
            for (const [key, once] of [['route', routeOnce], ['bare', bareOnce]] as const) {
              const { ms, rows } = await once(q);
              times[key].push(ms);
              answers.add(rows);
            }
            if (i < 3) {
              const { ms, rows } = await scanOnce(q);
              times.scan.push(ms);
              answers.add(rows);
            }
          }
          if (answers.size !== 1) throw new Error(`search answers differ: ${[...answers].join(', ')} runs`);
          const runlog = { ms: median(times.route) };
          const indexedSql = { ms: median(times.bare) };
          const scan = { ms: median(times.scan) };
          log(`  search "${q}": route ${times.route.map((t) => t.toFixed(1)).join(' ')} ms; bare ${times.bare.map((t) => t.toFixed(1)).join(' ')} ms; scan ${times.scan.map((t) => t.toFixed(0)).join(' ')} ms`);
          s.rows.push({
            measure: `GET /api/v1/admin/search, ${label}, vs the same query in bare SQL with the index`,
            value: fmtMs(runlog.ms),
            baseline: `bare SQL ${fmtMs(indexedSql.ms)}`,
            ratio: fmtRatio(runlog.ms / indexedSql.ms),
            target: targets ? '≤ 1.5×' : '',
            verdict: targets ? verdict(runlog.ms / indexedSql.ms <= 1.5) : 'info',
          });
          s.rows.push({
            measure: `GET /api/v1/admin/search, ${label}, vs the unindexed scan (ILIKE over the entry table)`,
            value: fmtMs(runlog.ms),
            baseline: `scan ${fmtMs(scan.ms)}`,
            ratio: `${fmtRatio(scan.ms / runlog.ms, 1)} faster`,
            target: targets ? '≥ 20× faster' : '',
            verdict: targets ? verdict(scan.ms / runlog.ms >= 20) : 'info',
          });
        }
      } finally {
        client.release();
      }
      s.notes.push(
        `${fmtInt(RUNS * PER_RUN)} entries in ${RUNS} runs loaded with INSERT ... SELECT generate_series in ${fmtMs(loadMs)}; ` +
          `the indexer's own statement built ${fmtInt(chunks.n)} chunks (${(chunks.bytes / 1024 / 1024).toFixed(0)} MiB with the index) from them in ${fmtMs(indexMs)} ` +
          `(${fmtInt((RUNS * PER_RUN * 1000) / indexMs)} entries/s, 2 connections). Trigram index: ${trigram ? 'yes (pg_trgm)' : 'NO (pg_trgm unavailable: chunks are scanned)'}.`,
        `runlog's figure is the whole HTTP request (token check, validation, the read transaction, the runs with their counts, ` +
          `the first 3 matches of each run of the page with their ranges, JSON); bare SQL is the same two statements sent directly in a transaction with the same settings; ` +
          `the scan answers runs, counts and first seqs from the entry table alone (ILIKE, no index, PostgreSQL's parallel workers allowed). ` +
          `Medians of ${10 * rounds} requests and as many bare queries for the rare line, ${rounds} for the common phrase, interleaved, after a warm-up (8 requests: each read-pool connection prepares the statements once; 2 bare queries); the scan 3 times.`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await pool.end();
  }
  return s;
}
