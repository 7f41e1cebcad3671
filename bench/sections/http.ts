/**
 * 2. Ingestion over HTTP: POST /api/v1/batch/runs/:id/logs (and the same records as OTLP protobuf to
 * POST /v1/logs) with 100 entries per request from 16
 * keep-alive connections in a second process (bench/http-client), each connection writing its own
 * run, against COPY of the same rows from 16 connections.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
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
/** Single-line appends: many producers, one line per POST, against a trivial Node server with the same client. */
const SINGLE_CONNECTIONS = 64;
const SINGLE_REQUESTS = 40;

/**
 * The least an HTTP server can do for an append: read the body, parse it, answer 201 with a small JSON
 * body. What runlog adds on top (auth, validation, the group commit, durability) is the ratio.
 */
async function trivialServer(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { entries: unknown[] };
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ appended: body.entries.length, last_seq: 1 }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function httpSection(app: BenchApp, pool: Pool, rounds: number, log: (l: string) => void): Promise<{ section: Section; rate: number }> {
  const token = await serviceToken();
  const rates: number[] = [];
  const copyRates: number[] = [];
  const latencies: number[] = [];
  const otlpRates: number[] = [];
  const singleRates: number[] = [];
  const trivialRates: number[] = [];
  const trivial = await trivialServer();
  const httpRound = async (r: number, protocol: 'rest' | 'otlp' = 'rest', shape = { connections: CONNECTIONS, requests: REQUESTS, entries: ENTRIES }, baseUrl = app.baseUrl) => {
    const runIds = Array.from({ length: shape.connections }, (_, c) => `bench-${protocol === 'otlp' ? 'otlp' : 'http'}-e${shape.entries}-r${r}-c${c}${baseUrl === app.baseUrl ? '' : '-trivial'}`);
    if (baseUrl === app.baseUrl) await Promise.all(runIds.map((id) => app.start(id, ['ingest'])));
    const result = await runChild<{ entries: number; ms: number; statuses: Record<string, number>; latencies: number[] }>('http-client.js', {
      BENCH_HTTP_ARGS: JSON.stringify({ baseUrl, token, runIds, requests: shape.requests, entries: shape.entries, protocol }),
    });
    const expected = shape.connections * shape.requests * shape.entries;
    if (result.entries !== expected) throw new Error(`HTTP round acknowledged ${result.entries} of ${expected} entries: ${JSON.stringify(result.statuses)}`);
    if (baseUrl === app.baseUrl) await Promise.all(runIds.map((id) => app.finish(id)));
    return result;
  };
  const single = { connections: SINGLE_CONNECTIONS, requests: SINGLE_REQUESTS, entries: 1 };
  const expected = CONNECTIONS * REQUESTS * ENTRIES;
  for (let r = 0; r < rounds; r++) {
    const result = await httpRound(r);
    rates.push((result.entries * 1000) / result.ms);
    latencies.push(...result.latencies);
    const rows = Array.from({ length: CONNECTIONS }, (_, c) => bareRows(`bench-httpcopy-r${r}-c${c}`, benchLines(REQUESTS * ENTRIES, c * REQUESTS * ENTRIES)));
    copyRates.push((expected * 1000) / (await copyBaseline(pool, rows)));
    const otlpResult = await httpRound(r, 'otlp');
    otlpRates.push((otlpResult.entries * 1000) / otlpResult.ms);
    const singleResult = await httpRound(r, 'rest', single);
    singleRates.push((singleResult.entries * 1000) / singleResult.ms);
    const trivialResult = await httpRound(r, 'rest', single, trivial.baseUrl);
    trivialRates.push((trivialResult.entries * 1000) / trivialResult.ms);
    log(`  http round ${r + 1}/${rounds}: REST ${fmtInt(rates[r])} entries/s, OTLP/protobuf ${fmtInt(otlpRates[r])}/s, COPY ${fmtInt(copyRates[r])}/s`);
  }
  await trivial.close();
  const otlpRate = median(otlpRates);
  const singleRate = median(singleRates);
  const trivialRate = median(trivialRates);
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
    measure: `POST .../logs, 1 entry/request from ${SINGLE_CONNECTIONS} connections`,
    value: fmtInt(singleRate),
    baseline: `trivial Node server ${fmtInt(trivialRate)}`,
    ratio: `${(singleRate / trivialRate).toFixed(2)}×`,
    target: '≥ 0.85×',
    verdict: verdict(singleRate / trivialRate >= 0.85),
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
  if (singleRate / trivialRate < 0.85) {
    const prof = await withCpuProfile(() => httpRound(rounds, 'rest', single));
    s.notes.push(
      '',
      `Profile of the server (this process) during one more round of single-line appends from ${SINGLE_CONNECTIONS} connections (${fmtInt((prof.value.entries * 1000) / prof.value.ms)} entries/s while profiled):`,
      '',
      '```',
      prof.summary,
      '```',
      '',
    );
  }
  s.notes.unshift(`Rounds (entries/s): runlog REST ${rates.map(fmtInt).join(' / ')}; OTLP/protobuf ${otlpRates.map(fmtInt).join(' / ')}; single lines from ${SINGLE_CONNECTIONS} connections ${singleRates.map(fmtInt).join(' / ')} against the trivial server's ${trivialRates.map(fmtInt).join(' / ')} (its answer: JSON.parse of the body, 201 with a small JSON body); COPY (16 connections, same rows) ${copyRates.map(fmtInt).join(' / ')}. Each round: ${CONNECTIONS}×${REQUESTS} requests after one warm-up request per connection.`);
  return { section: s, rate: v };
}
