/**
 * A bounded soak against one runlog over loopback HTTP: N producers (each its own run, batches of
 * 10-50 entries with explicit seqs) and M downloaders (admin log downloads, json and ndjson, of
 * random runs) for a fixed time. It counts every status, measures append latency, checks each
 * download is consistent (seqs 1..k, nothing older than what was acknowledged before it was asked
 * for), and at the end verifies that every acknowledged entry is stored, once, in order.
 * Used by test/reliability/soak.test.ts and by `npm run soak` (scripts/soak.ts).
 */
import * as http from 'http';
import { loadavg } from 'os';
import { performance } from 'perf_hooks';
import { fixedTarget, httpRequest, percentile, Producer, randomInt, seededRandom, sumStats } from './producer';
import { readRssKiB, RssSampler, RssSummary } from './rss-sampler';

export interface SoakOptions {
  baseUrl: string;
  /** `Bearer ...` tokens. */
  serviceAuthorization: string;
  adminAuthorization: string;
  seconds: number;
  producers?: number;
  downloaders?: number;
  minBatch?: number;
  maxBatch?: number;
  /** A producer finishes its run and starts a new one past this many entries (keeps runs under MAX_ENTRIES_PER_RUN). */
  entriesPerRun?: number;
  seed?: number;
  /** Progress lines (every ~10 s); default: none. */
  log?: (line: string) => void;
  /** The service's process id: its RSS is sampled every second (the soak's memory figures). */
  servicePid?: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface SoakResult {
  seconds: number;
  producers: number;
  downloaders: number;
  runs: number;
  appends: LatencySummary;
  entriesAcknowledged: number;
  entriesPerSecond: number;
  appendsPerSecond: number;
  downloads: LatencySummary & { bytes: number; entries: number };
  /** Every status of every request (appends, run starts/finishes, downloads). */
  statuses: Record<number, number>;
  serverErrors: number;
  networkErrors: number;
  /** Problems seen while running (unexpected statuses, inconsistent downloads). */
  problems: string[];
  /** Problems found by the final verification (filled by verifySoak). */
  verification: { runsChecked: number; entriesChecked: number; problems: string[] } | null;
  /** Every run with the entries acknowledged to it, for verification. */
  acknowledged: Map<string, Array<{ seq: number; level: string; message: string }>>;
  /** The service's RSS over the soak (null without servicePid, or off Linux). */
  rss: RssSummary | null;
  /** The machine's 1-minute load average when the soak began and when it ended (others' work shows here). */
  loadAverage: { start: number; end: number };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const seed = options.seed ?? 1;
  const producerCount = options.producers ?? 50;
  const downloaderCount = options.downloaders ?? 10;
  const entriesPerRun = options.entriesPerRun ?? 20_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: producerCount + downloaderCount + 4 });
  const target = fixedTarget(options.baseUrl, agent);
  const loadAtStart = loadavg()[0];
  const rssSampler = options.servicePid === undefined ? null : new RssSampler(options.servicePid);
  const began = performance.now();
  const deadline = Date.now() + options.seconds * 1000;
  const problems: string[] = [];
  const allProducers: Producer[] = [];
  const current: Producer[] = [];
  const downloadStatuses: Record<number, number> = {};
  const downloadLatencies: number[] = [];
  let downloadBytes = 0;
  let downloadEntries = 0;
  let downloadNetworkErrors = 0;

  const newProducer = (slot: number, generation: number) => {
    const producer = new Producer({
      runId: `soak-${seed}-${slot + 1}-${generation}`,
      target,
      authorization: options.serviceAuthorization,
      random: seededRandom(seed * 1000 + slot * 97 + generation),
      minBatch: options.minBatch ?? 10,
      maxBatch: options.maxBatch ?? 50,
      maxMessageChars: 120,
      recordLatency: true,
      retryBudgetMs: 30_000,
    });
    allProducers.push(producer);
    current[slot] = producer;
    return producer;
  };

  const producing = Array.from({ length: producerCount }, async (_, slot) => {
    for (let generation = 1; Date.now() < deadline; generation += 1) {
      const producer = newProducer(slot, generation);
      await producer.run(() => producer.lastAckedSeq >= entriesPerRun, deadline);
      if (producer.stats.unexpected.length > 0) return;
      if (!(await producer.finish('completed', deadline))) return;
    }
  });

  const downloading = Array.from({ length: downloaderCount }, async (_, d) => {
    const random = seededRandom(seed * 7919 + d);
    for (let i = 0; Date.now() < deadline; i += 1) {
      const candidates = current.filter((p) => p && p.lastAckedSeq > 0);
      if (candidates.length === 0) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const producer = candidates[randomInt(random, 0, candidates.length - 1)];
      const format = i % 2 === 0 ? 'json' : 'ndjson';
      const ackedBefore = producer.lastAckedSeq; // the download must hold at least these
      const startedAt = performance.now();
      let answer;
      try {
        answer = await httpRequest(`${options.baseUrl}/api/v1/admin/batch/history/${producer.runId}/logs?format=${format}`, {
          headers: { Authorization: options.adminAuthorization },
          agent,
          timeoutMs: 60_000,
        });
      } catch (error) {
        downloadNetworkErrors += 1;
        problems.push(`download ${producer.runId}: ${(error as Error).message}`);
        continue;
      }
      downloadStatuses[answer.status] = (downloadStatuses[answer.status] ?? 0) + 1;
      if (answer.status !== 200) {
        problems.push(`download ${producer.runId} (${format}): ${answer.status} ${answer.body.slice(0, 200)}`);
        continue;
      }
      downloadLatencies.push(performance.now() - startedAt);
      downloadBytes += Buffer.byteLength(answer.body);
      const seqs = parseSeqs(format, answer.body);
      downloadEntries += seqs.length;
      const problem = checkDownload(seqs, ackedBefore);
      if (problem) problems.push(`download ${producer.runId} (${format}): ${problem}`);
    }
  });

  const progress = options.log
    ? setInterval(() => {
        const s = sumStats(allProducers.map((p) => p.stats));
        const acked = allProducers.reduce((n, p) => n + p.lastAckedSeq, 0);
        const rssKiB = options.servicePid === undefined ? null : readRssKiB(options.servicePid);
        const rss = rssKiB === null ? '' : `, service RSS ${(rssKiB / 1024).toFixed(0)} MiB`;
        options.log!(`soak: ${Math.round((performance.now() - began) / 1000)} s, ${acked} entries acknowledged in ${s.batches} appends, ${downloadLatencies.length} downloads${rss}`);
      }, 10_000)
    : null;
  try {
    await Promise.all([...producing, ...downloading]);
  } finally {
    if (progress) clearInterval(progress);
  }
  const rss = rssSampler?.stop() ?? null;
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();

  const totals = sumStats(allProducers.map((p) => p.stats));
  problems.unshift(...totals.unexpected);
  const statuses: Record<number, number> = { ...totals.statuses };
  for (const [status, n] of Object.entries(downloadStatuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
  const latencies = allProducers.flatMap((p) => p.stats.latenciesMs);
  const entriesAcknowledged = allProducers.reduce((n, p) => n + p.lastAckedSeq, 0);
  const acknowledged = new Map(allProducers.map((p) => [p.runId, p.acked] as const));
  return {
    seconds,
    producers: producerCount,
    downloaders: downloaderCount,
    runs: allProducers.length,
    appends: summarise(latencies),
    entriesAcknowledged,
    entriesPerSecond: entriesAcknowledged / seconds,
    appendsPerSecond: latencies.length / seconds,
    downloads: { ...summarise(downloadLatencies), bytes: downloadBytes, entries: downloadEntries },
    statuses,
    serverErrors: Object.entries(statuses).reduce((n, [status, count]) => n + (Number(status) >= 500 ? count : 0), 0),
    networkErrors: totals.networkErrors + downloadNetworkErrors,
    problems,
    verification: null,
    acknowledged,
    rss,
    loadAverage: { start: loadAtStart, end: loadavg()[0] },
  };
}

/**
 * Every acknowledged entry stored, once, in order: per run the count (logs/count) and the whole
 * log (ndjson) against what its producer was acknowledged.
 */
export async function verifySoak(result: SoakResult, baseUrl: string, adminAuthorization: string): Promise<SoakResult['verification']> {
  const problems: string[] = [];
  let entriesChecked = 0;
  for (const [runId, acked] of result.acknowledged) {
    const headers = { Authorization: adminAuthorization };
    const count = await httpRequest(`${baseUrl}/api/v1/admin/batch/history/${runId}/logs/count`, { headers });
    if (count.status !== 200 || JSON.parse(count.body).count !== acked.length) {
      problems.push(`${runId}: count ${count.status} ${count.body} but ${acked.length} acknowledged`);
    }
    const log = await httpRequest(`${baseUrl}/api/v1/admin/batch/history/${runId}/logs?format=ndjson`, { headers, timeoutMs: 120_000 });
    if (log.status !== 200) {
      problems.push(`${runId}: download ${log.status} ${log.body.slice(0, 200)}`);
      continue;
    }
    const stored = log.body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; level: string; message: string });
    if (stored.length !== acked.length) problems.push(`${runId}: ${stored.length} entries stored, ${acked.length} acknowledged`);
    for (let i = 0; i < Math.min(stored.length, acked.length); i += 1) {
      const s = stored[i];
      const a = acked[i];
      if (s.seq !== a.seq || s.level !== a.level || s.message !== a.message) {
        problems.push(`${runId}: entry ${i + 1} is ${JSON.stringify(s)}, acknowledged ${JSON.stringify(a)}`);
        break;
      }
    }
    entriesChecked += stored.length;
  }
  result.verification = { runsChecked: result.acknowledged.size, entriesChecked, problems };
  return result.verification;
}

export function formatSoakTable(result: SoakResult): string {
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '-');
  const rows: Array<[string, string]> = [
    ['duration', `${result.seconds.toFixed(1)} s`],
    ['producers / downloaders', `${result.producers} / ${result.downloaders} (${result.runs} runs)`],
    ['appends acknowledged', `${result.appends.count} (${result.appendsPerSecond.toFixed(1)}/s)`],
    ['entries acknowledged', `${result.entriesAcknowledged} (${result.entriesPerSecond.toFixed(0)}/s)`],
    ['append latency p50 / p90 / p99', `${ms(result.appends.p50)} / ${ms(result.appends.p90)} / ${ms(result.appends.p99)}`],
    ['append latency max / mean', `${ms(result.appends.max)} / ${ms(result.appends.mean)}`],
    ['downloads', `${result.downloads.count} (${(result.downloads.bytes / 1024 / 1024).toFixed(1)} MiB, ${result.downloads.entries} entries)`],
    ['download latency p50 / p99', `${ms(result.downloads.p50)} / ${ms(result.downloads.p99)}`],
    ['statuses', Object.entries(result.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')],
    ['5xx / network errors', `${result.serverErrors} / ${result.networkErrors}`],
    ['problems', String(result.problems.length)],
    ['load average (1 min) start / end', `${result.loadAverage.start.toFixed(2)} / ${result.loadAverage.end.toFixed(2)}`],
  ];
  if (result.rss) {
    const mib = (v: number) => `${v.toFixed(0)} MiB`;
    const { plateau } = result.rss;
    rows.push(['service RSS start / max / final', `${mib(result.rss.startMiB)} / ${mib(result.rss.maxMiB)} / ${mib(result.rss.finalMiB)}`]);
    rows.push(['service RSS plateau (last third)', `${mib(plateau.medianMiB)} median, ${mib(plateau.minMiB)}-${mib(plateau.maxMiB)}`]);
  }
  if (result.verification) {
    rows.push([
      'verified',
      `${result.verification.entriesChecked} entries in ${result.verification.runsChecked} runs, ${result.verification.problems.length} problems`,
    ]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const line = `+-${'-'.repeat(width)}-+-${'-'.repeat(Math.max(...rows.map(([, v]) => v.length)))}-+`;
  const valueWidth = line.length - width - 7;
  return [line, ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padEnd(valueWidth)} |`), line].join('\n');
}

function summarise(values: number[]): LatencySummary {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length ? values.reduce((a, b) => Math.max(a, b), -Infinity) : NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN,
  };
}

function parseSeqs(format: 'json' | 'ndjson', body: string): number[] {
  if (format === 'json') return (JSON.parse(body) as { entries: Array<{ seq: number }> }).entries.map((e) => e.seq);
  return body
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { seq: number }).seq);
}

/** A download is consistent when its seqs are 1..k and it holds everything acknowledged before it was asked for. */
function checkDownload(seqs: number[], ackedBefore: number): string | null {
  for (let i = 0; i < seqs.length; i += 1) if (seqs[i] !== i + 1) return `entry ${i + 1} has seq ${seqs[i]}`;
  if (seqs.length < ackedBefore) return `${seqs.length} entries, but ${ackedBefore} were acknowledged before the download began`;
  return null;
}
