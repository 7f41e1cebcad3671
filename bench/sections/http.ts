/**
 * 2. Ingestion over HTTP: POST /api/v1/batch/runs/:id/logs (and the same records as OTLP protobuf to
 * POST /v1/logs) with 100 entries per request from 16
 * keep-alive connections in a second process (bench/http-client), each connection writing its own
 * run, against COPY of the same rows from 16 connections.
 */
import { Pool } from 'pg';
import { BenchApp, serviceToken } from '../lib/apps';
import { copyBaseline } from '../lib/baselines';
import { runChild } from '../lib/child';
import { fmtInt, fmtMs, fmtPct, median, percentile } from '../lib/stats';
import { bareRows, benchLines } from '../lib/workload';
import { Section, section, verdict } from '../lib/report';
import { withCpuProfile } from '../lib/profile';

const CONNECTIONS = 16;
const ENTRIES = 100;
const REQUESTS = 30;

export async function httpSection(app: BenchApp, pool: Pool, rounds: number, log: (l: string) => void): Promise<{ section: Section; rate: number }> {
  const token = await serviceToken();
  const rates: number[] = [];
  const copyRates: number[] = [];
  const latencies: number[] = [];
  const otlpRates: number[] = [];
  const httpRound = async (r: number, protocol: 'rest' | 'otlp' = 'rest') => {
    const runIds = Array.from({ length: CONNECTIONS }, (_, c) => `bench-${protocol === 'otlp' ? 'otlp' : 'http'}-r${r}-c${c}`);
    await Promise.all(runIds.map((id) => app.start(id, ['ingest'])));
    const result = await runChild<{ entries: number; ms: number; statuses: Record<string, number>; latencies: number[] }>('http-client.js', {
      BENCH_HTTP_ARGS: JSON.stringify({ baseUrl: app.baseUrl, token, runIds, requests: REQUESTS, entries: ENTRIES, protocol }),
    });
    const expected = CONNECTIONS * REQUESTS * ENTRIES;
    if (result.entries !== expected) throw new Error(`HTTP round acknowledged ${result.entries} of ${expected} entries: ${JSON.stringify(result.statuses)}`);
    await Promise.all(runIds.map((id) => app.finish(id)));
    return result;
  };
  const expected = CONNECTIONS * REQUESTS * ENTRIES;
  for (let r = 0; r < rounds; r++) {
    const result = await httpRound(r);
    rates.push((result.entries * 1000) / result.ms);
    latencies.push(...result.latencies);
    const rows = Array.from({ length: CONNECTIONS }, (_, c) => bareRows(`bench-httpcopy-r${r}-c${c}`, benchLines(REQUESTS * ENTRIES, c * REQUESTS * ENTRIES)));
    copyRates.push((expected * 1000) / (await copyBaseline(pool, rows)));
    const otlpResult = await httpRound(r, 'otlp');
    otlpRates.push((otlpResult.entries * 1000) / otlpResult.ms);
    log(`  http round ${r + 1}/${rounds}: REST ${fmtInt(rates[r])} entries/s, OTLP/protobuf ${fmtInt(otlpRates[r])}/s, COPY ${fmtInt(copyRates[r])}/s`);
  }
  const otlpRate = median(otlpRates);
  const v = median(rates);
  const copy = median(copyRates);
  const s = section('http', `2. Ingestion over HTTP (${CONNECTIONS} connections from a second process, ${ENTRIES} entries per POST), entries/s, median of ${rounds} rounds`);
  s.rows.push({
    measure: `POST .../logs, ${ENTRIES} entries/request`,
    value: fmtInt(v),
    baseline: `COPY ${fmtInt(copy)}`,
    ratio: fmtPct(v / copy),
    target: '≥ 30% of COPY',
    verdict: verdict(v / copy >= 0.3),
  });
  s.rows.push({
    measure: `POST /v1/logs (OTLP protobuf), ${ENTRIES} records/request`,
    value: fmtInt(otlpRate),
    baseline: `REST ${fmtInt(v)}`,
    ratio: `${(otlpRate / v).toFixed(2)}× REST, ${fmtPct(otlpRate / copy)} of COPY`,
    target: '',
    verdict: 'info',
  });
  s.rows.push({
    measure: 'request latency p50 / p99 (REST)',
    value: `${fmtMs(percentile(latencies, 50))} / ${fmtMs(percentile(latencies, 99))}`,
    baseline: '',
    ratio: '',
    target: '',
    verdict: 'info',
  });
  if (v / copy < 0.3) {
    const prof = await withCpuProfile(() => httpRound(rounds));
    s.notes.push(
      '',
      `Profile of the server (this process) during one more round (${fmtInt((prof.value.entries * 1000) / prof.value.ms)} entries/s while profiled):`,
      '',
      '```',
      prof.summary,
      '```',
      '',
    );
  }
  s.notes.unshift(`Rounds (entries/s): runlog REST ${rates.map(fmtInt).join(' / ')}; OTLP/protobuf ${otlpRates.map(fmtInt).join(' / ')}; COPY (16 connections, same rows) ${copyRates.map(fmtInt).join(' / ')}. Each round: ${CONNECTIONS}×${REQUESTS} requests after one warm-up request per connection.`);
  return { section: s, rate: v };
}
