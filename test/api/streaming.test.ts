/**
 * A 100,000-entry run (about 95 MB as NDJSON) downloaded as NDJSON and TXT, from memory (right after
 * writing) and from the database (after a restart: a new instance on the same database, with no
 * cache): every entry arrives, in order, while the server's memory stays flat. The server runs in
 * this process, so its RSS is sampled here during each download; the client consumes the body as a
 * stream of Buffers, keeps none of it, and checks each line in place (decoding only its head), so
 * that the client's own garbage does not blur what the server costs.
 */
import * as http from 'http';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, eventually, ISO_MS_UTC, TXT_ENTRY_LINE } from './api-helpers';
import { forceGc as gc } from '../support/force-gc';

const ENTRIES = 100_000;
const BATCH = 5_000;
const MIB = 1024 * 1024;
const RUN_ID = 'big-run';
/**
 * Room for every entry (the default cap, MAX_ENTRIES_PER_RUN, is exactly 100,000, its last one a cut
 * warning), a lease long enough that the run, quiet while it is downloaded, is not finished as failed,
 * and a cache large enough to hold the whole log.
 */
const ENV = { MAX_ENTRIES_PER_RUN: '200000', RUN_LEASE_SECONDS: '3600', LOG_CACHE_MAX_BYTES: String(2 * 1024 ** 3) };
/** ~900 characters, different for each entry, and recognisable: "entry <seq> <filler>". */
const FILLER = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(25).slice(0, 890);
const messageOf = (seq: number) => `entry ${seq} ${FILLER}`;
const phaseOf = (seq: number) => (seq <= ENTRIES / 2 ? 'first-half' : 'second-half');
/** Every line is checked by its head and tail; every FULL_CHECK-th one decoded and checked whole. */
const FULL_CHECK = 997;
const NDJSON_TAIL = Buffer.from(`${FILLER}"}`);
const TXT_TAIL = Buffer.from(FILLER);
const NEWLINE = 0x0a;
/**
 * What the process really holds after a full collection: the JS heap, and the heap with the Buffers
 * outside it. V8 frees a dead Buffer's memory when it sweeps, concurrently, so on a busy machine
 * `external` may still count Buffers the collection found dead; the heap alone has no such lag.
 */
const liveBytes = () => {
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, all: usage.heapUsed + usage.external };
};

interface DownloadStats {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  lines: number;
  /** Peak RSS growth over the baseline taken just before the request. */
  peakGrowth: number;
  /**
   * Peak growth of live memory (heap and Buffers after a forced full collection, sampled every 250 ms).
   * RSS also counts garbage not yet collected, which on a loaded machine can lag by tens of MiB; what
   * is live is what a download holds.
   */
  peakLiveGrowth: number;
  /** The same for the JS heap alone. */
  peakHeapGrowth: number;
  errors: string[];
}

/** A line of the body: bytes [start, end) of buf (without its newline). */
type LineCheck = (buf: Buffer, start: number, end: number, index: number) => string | null;

/**
 * GETs url and hands each complete line to check, in place; only a line cut by a chunk boundary is
 * copied. Samples process RSS every 20 ms meanwhile.
 */
function streamLines(url: string, authorization: string, check: LineCheck): Promise<DownloadStats> {
  return new Promise((resolve, reject) => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const liveBaseline = liveBytes();
    let livePeak = liveBaseline.all;
    let heapPeak = liveBaseline.heap;
    const rssSampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const liveSampler = setInterval(() => {
      const live = liveBytes();
      livePeak = Math.max(livePeak, live.all);
      heapPeak = Math.max(heapPeak, live.heap);
    }, 250);
    const sampler = { stop: () => (clearInterval(rssSampler), clearInterval(liveSampler)) };
    const errors: string[] = [];
    let bytes = 0;
    let lines = 0;
    let partial: Buffer | null = null;
    const line = (buf: Buffer, start: number, end: number) => {
      const error = check(buf, start, end, lines);
      lines += 1;
      if (error && errors.length < 5) errors.push(error);
    };
    const fail = (error: Error) => {
      sampler.stop();
      reject(error);
    };
    const req = http.get(url, { headers: { Authorization: authorization } }, (res) => {
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        let start = 0;
        for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
          if (partial) {
            const whole: Buffer = Buffer.concat([partial, chunk.subarray(0, nl)]);
            partial = null;
            line(whole, 0, whole.length);
          } else {
            line(chunk, start, nl);
          }
          start = nl + 1;
        }
        if (start < chunk.length) partial = partial ? Buffer.concat([partial, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
      });
      res.on('end', () => {
        sampler.stop();
        peak = Math.max(peak, process.memoryUsage().rss);
        if (partial) errors.push(`unterminated last line: ${partial.toString('utf8', 0, 80)}`);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, lines, peakGrowth: peak - baseline, peakLiveGrowth: livePeak - liveBaseline.all, peakHeapGrowth: heapPeak - liveBaseline.heap, errors });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}

const endsWith = (buf: Buffer, end: number, tail: Buffer) => end - tail.length >= 0 && buf.compare(tail, 0, tail.length, end - tail.length, end) === 0;
const head = (buf: Buffer, start: number, end: number) => buf.toString('utf8', start, Math.min(end, start + 160));

/** NDJSON: each line one entry, seq 1..ENTRIES in order, with its level, phase and message. */
function ndjsonChecker(): LineCheck {
  return (buf, start, end, index) => {
    const seq = index + 1;
    const text = head(buf, start, end);
    if (!text.startsWith(`{"seq":${seq},"timestamp":"`)) return `line ${index}: not seq ${seq}: ${text}`;
    if (!text.slice(text.indexOf('","level"')).startsWith(`","level":"info","phase":"${phaseOf(seq)}","message":"entry ${seq} `)) {
      return `line ${index}: wrong level, phase or message: ${text}`;
    }
    if (!endsWith(buf, end, NDJSON_TAIL)) return `line ${index}: wrong message end`;
    if (seq % FULL_CHECK === 0 || seq === ENTRIES) {
      const entry = JSON.parse(buf.toString('utf8', start, end));
      const expected = { seq, timestamp: entry.timestamp, level: 'info', phase: phaseOf(seq), message: messageOf(seq) };
      if (JSON.stringify(entry) !== JSON.stringify(expected) || !ISO_MS_UTC.test(entry.timestamp)) return `line ${index}: ${text}`;
    }
    return null;
  };
}

/** TXT: the header (up to the dashes), then one line per entry, in seq order, then the trailer. */
function txtChecker(expectedSource: string) {
  let inHeader = true;
  let seq = 0;
  let trailer: string | null = null;
  const header: string[] = [];
  const check: LineCheck = (buf, start, end) => {
    if (inHeader) {
      const text = buf.toString('utf8', start, end);
      header.push(text);
      if (text === '-'.repeat(72)) inHeader = false;
      return null;
    }
    if (seq === ENTRIES && trailer === null) {
      trailer = buf.toString('utf8', start, end);
      return trailer === `-- entries 1-${ENTRIES} of ${ENTRIES}, complete` ? null : `wrong trailer: ${trailer}`;
    }
    seq += 1;
    const text = head(buf, start, end);
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) INFO \[([a-z-]+)\] entry (\d+) /.exec(text);
    if (!match || match[2] !== phaseOf(seq) || Number(match[3]) !== seq || !endsWith(buf, end, TXT_TAIL)) return `entry line ${seq} is wrong: ${text}`;
    if (seq % FULL_CHECK === 0 || seq === ENTRIES) {
      const full = TXT_ENTRY_LINE.exec(buf.toString('utf8', start, end));
      if (!full || full[4] !== messageOf(seq)) return `entry line ${seq}: ${text}`;
    }
    return null;
  };
  return {
    check,
    entryLines: () => seq,
    expectHeader: () => {
      expect(header).toContain(`Batch run:   ${RUN_ID}`);
      expect(header).toContain(`Entries:     ${ENTRIES}`);
      expect(header).toContain(`Source:      ${expectedSource}`);
      expect(trailer).not.toBeNull();
    },
  };
}

describe('streamed downloads of a 100,000-entry run', () => {
  let db: TestDatabase;
  let writer: TestApp | undefined;
  let restarted: TestApp | undefined;
  let admin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    writer = await startTestApp({ db, listen: true, env: ENV });
    admin = await bearer('admin', 'admin-big');
    await writer.commandBus.execute(new StartBatchRunCommand({ batchRunId: RUN_ID, phases: ['first-half', 'second-half'] }));
    for (let first = 1; first <= ENTRIES; first += BATCH) {
      if (first === ENTRIES / 2 + 1) {
        // The first half goes into the snapshot; the second half is in the entry table only.
        await writer.commandBus.execute(new CompletePhaseCommand({ batchRunId: RUN_ID, phase: 'first-half' }));
      }
      const entries = Array.from({ length: BATCH }, (_, i) => ({ level: 'info', message: messageOf(first + i), seq: first + i }));
      await writer.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: RUN_ID, entries }));
    }
  }, 120_000);
  afterAll(async () => {
    await restarted?.close();
    await writer?.close();
    await db?.drop();
  });

  const url = (app: TestApp, format: string) => `${app.baseUrl}/api/v1/admin/batch/history/${RUN_ID}/logs?format=${format}`;

  /**
   * A small download first (a fifth of the log, not measured), so that the young generation of V8's heap
   * and the HTTP machinery have grown to their working size before memory is measured: what is measured
   * is what the big download itself costs.
   */
  const warmUp = async (app: TestApp) => {
    const stats = await streamLines(`${url(app, 'ndjson')}&limit=${ENTRIES / 5}`, admin, () => null);
    expect(stats.lines).toBe(ENTRIES / 5);
  };

  /**
   * The download must not cost memory in proportion to its size. A body built first would hold all of
   * it (~95 MB as bytes, twice that as a string); streamed, what is live is a page of rows and the
   * socket's buffer: 0-11 MiB alone. Beside another suite in CI, heap plus Buffers was seen at 24 MiB
   * and once at 48.5 MiB (Buffers the collection found dead, not yet swept on a busy core, still count
   * as external). So the heap alone is bounded by half the body (a body built first as a string holds
   * all of it there), heap plus Buffers by the body (built first as bytes, it holds all of it), and
   * RSS by the body too: it also counts garbage a loaded machine has not collected yet (57 MiB was seen
   * once in CI, 0-21 MiB alone).
   */
  const expectFlatMemory = (stats: DownloadStats) => {
    if (process.env.RUNLOG_TEST_VERBOSE) {
      process.stdout.write(`download ${(stats.bytes / MIB).toFixed(1)} MiB, peak RSS growth ${(stats.peakGrowth / MIB).toFixed(1)} MiB, live ${(stats.peakLiveGrowth / MIB).toFixed(1)} MiB (heap ${(stats.peakHeapGrowth / MIB).toFixed(1)} MiB)\n`);
    }
    expect(stats.bytes).toBeGreaterThan(80 * MIB);
    expect(stats.peakHeapGrowth).toBeLessThan(stats.bytes / 2);
    expect(stats.peakLiveGrowth).toBeLessThan(stats.bytes);
    expect(stats.peakGrowth).toBeLessThan(stats.bytes);
  };

  const ndjson = async (app: TestApp) => {
    const stats = await streamLines(url(app, 'ndjson'), admin, ndjsonChecker());
    expect(stats.status).toBe(200);
    expect(stats.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(stats.headers['content-length']).toBeUndefined(); // streamed (chunked), not built first
    expect(stats.errors).toEqual([]);
    expect(stats.lines).toBe(ENTRIES);
    expectFlatMemory(stats);
  };

  const txt = async (app: TestApp, source: string) => {
    const checker = txtChecker(source);
    const stats = await streamLines(url(app, 'txt'), admin, checker.check);
    expect(stats.status).toBe(200);
    expect(stats.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(stats.errors).toEqual([]);
    checker.expectHeader();
    expect(checker.entryLines()).toBe(ENTRIES);
    expectFlatMemory(stats);
  };

  it('from memory, right after writing: NDJSON and TXT, every entry in order, memory flat', async () => {
    expect(writer!.tracker.get(RUN_ID)?.entries.length).toBe(ENTRIES);
    await warmUp(writer!);
    await ndjson(writer!);
    await txt(writer!, 'memory');
  }, 90_000);

  it('from the database after a restart (the entry table: the snapshot is larger than a page): NDJSON and TXT, memory flat', async () => {
    // The writer stops (its cache goes with it); a new instance on the same database serves the log.
    await writer!.close();
    writer = undefined;
    restarted = await startTestApp({ db, listen: true, env: ENV });
    expect(restarted.tracker.get(RUN_ID)).toBeUndefined();
    await warmUp(restarted);
    await ndjson(restarted);
    // A snapshot larger than a page is not read page by page (each page would unpack all of it): the entry table serves.
    await txt(restarted, 'entries');
  }, 90_000);

  it('a client that goes away half-way stops the stream and leaves the server serving', async () => {
    const app = restarted!;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no data')), 20_000);
      const req = http.get(url(app, 'ndjson'), { headers: { Authorization: admin } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > 5 * MIB) {
            clearTimeout(timer);
            req.destroy();
            resolve();
          }
        });
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
    });
    // The cursor and its connection are released, and the server still answers.
    await eventually(async () => (app.pool.totalCount === app.pool.idleCount && app.pool.waitingCount === 0 ? true : undefined), 10_000, 'the pool to be idle');
    const res = await fetch(`${app.baseUrl}/api/v1/admin/batch/history/${RUN_ID}/logs/count`, { headers: { Authorization: admin } });
    expect(await res.json()).toEqual({ batch_run_id: RUN_ID, count: ENTRIES });
  }, 30_000);
});
