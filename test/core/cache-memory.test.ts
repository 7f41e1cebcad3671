/**
 * What a cached log entry really costs on the V8 heap, against what the read cache counts for it
 * (BatchRunTracker.estimatedBytes, the figure LOG_CACHE_MAX_BYTES bounds).
 *
 * The entries take the real path: JSON bodies over HTTP, body-parser's JSON.parse, the decider
 * (redaction included), the group commit, then the tracker. After a forced GC the heap is read,
 * the run is dropped from the cache, and the heap is read again: what that frees is what the cache
 * really held. The growth from before the first append shows that nothing else kept the entries.
 * Messages are ASCII, Latin-1 (non-ASCII, but one byte per character in V8), CJK (two bytes) and
 * text whose secrets are masked (a masked string is built from slices of the unmasked one). One
 * more case takes the in-process path (the command bus, as the orchestrator's jobs log): lines
 * sliced out of a job's captured output, a string V8 keeps as a pointer into its whole parent.
 */
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';
import { forceGc as gc } from '../support/force-gc';


/**
 * Heap in use after full collections, once it holds still: beside other suites, code compiled on
 * V8's background threads and the app's own timers (lease renewals, the liveness beat) land between
 * two reads, so collections repeat until two reads agree within 16 KiB (at most six times).
 */
async function heapAfterGc(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20)); // let sockets and promises of the last request settle
  let last = Number.NaN;
  for (let i = 0; i < 6; i += 1) {
    gc();
    gc();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(used - last) < 16 * 1024) return used;
    last = used;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return last;
}

const FILLERS = {
  ascii: 'abcdefghijklmnopqrstuvwxyz0123456789 ',
  latin1: 'ÄÖÜäöüßéèàç ',
  cjk: '日本語のログ行です ',
} as const;
type Kind = keyof typeof FILLERS | 'masked' | 'sliced';

/** A distinct message of exactly `chars` UTF-16 code units. */
function message(kind: Kind, chars: number, i: number): string {
  if (kind === 'masked') {
    const head = `#${i} connecting with password=s3cr3t-${i} as loader `;
    return (head + FILLERS.ascii.repeat(Math.ceil(chars / FILLERS.ascii.length))).slice(0, Math.max(chars, head.length));
  }
  const head = `#${i} `;
  const filler = FILLERS[kind === 'sliced' ? 'ascii' : kind];
  return (head + filler.repeat(Math.ceil(chars / filler.length))).slice(0, chars);
}

/**
 * A batch of `count` lines of `chars` characters, each a slice of one captured output of 64 KiB
 * (distinct per batch), the way a job would pick the lines worth logging out of its output.
 */
function slicedLines(chars: number, first: number, count: number): string[] {
  const output = Array.from({ length: count }, (_, j) => message('sliced', chars, first + j)).join('\n').padEnd(65536, '.');
  return Array.from({ length: count }, (_, j) => output.slice(j * (chars + 1), j * (chars + 1) + chars));
}

interface Measured {
  kind: Kind;
  chars: number;
  entries: number;
  /** Heap freed per entry when the cache drops the run: what the cache held. */
  heldPerEntry: number;
  /** Heap growth per entry from before the first append: what the whole process kept. */
  grownPerEntry: number;
  estimatedPerEntry: number;
}

async function measure(t: TestApp, service: string, kind: Kind, chars: number, entries = chars <= 10 ? 60_000 : chars <= 200 ? 20_000 : 3_000): Promise<Measured> {
  const id = `mem-${kind}-${chars}-${entries}`;
  // Bodies under 5 MB (MAX_BODY): a CJK character is 3 bytes of UTF-8.
  const perBatch = kind === 'sliced' ? 20 : Math.min(1000, Math.floor(3_000_000 / (chars * 3 + 100)));
  await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', service).send({ batch_run_id: id }).expect(201);
  const estimatedBefore = t.tracker.estimatedBytes;
  const before = await heapAfterGc();
  for (let sent = 0; sent < entries; sent += perBatch) {
    const count = Math.min(perBatch, entries - sent);
    if (kind === 'sliced') {
      const lines = slicedLines(chars, sent, count).map((line) => ({ level: 'info' as const, message: line }));
      await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: lines }));
      continue;
    }
    const batch = Array.from({ length: count }, (_, j) => ({ level: 'info', message: message(kind, chars, sent + j) }));
    await request(t.baseUrl).post(`/api/v1/batch/runs/${id}/logs`).set('Authorization', service).send({ entries: batch }).expect(201);
  }
  const held = await heapAfterGc();
  const estimated = t.tracker.estimatedBytes - estimatedBefore;
  expect(t.tracker.get(id)?.entries).toHaveLength(entries);
  t.tracker.drop(id);
  const after = await heapAfterGc();
  return {
    kind,
    chars,
    entries,
    heldPerEntry: (held - after) / entries,
    grownPerEntry: (held - before) / entries,
    estimatedPerEntry: estimated / entries,
  };
}

describe('read cache memory', () => {
  jest.setTimeout(110_000);
  let t: TestApp;
  let service: string;
  const results: Measured[] = [];
  const cases: Array<[Kind, number]> = [
    ['ascii', 10],
    ['ascii', 200],
    ['ascii', 2000],
    ['latin1', 10],
    ['latin1', 200],
    ['latin1', 2000],
    ['cjk', 10],
    ['cjk', 200],
    ['cjk', 2000],
    ['masked', 200],
    ['masked', 2000],
    ['sliced', 200],
  ];

  // Each case holds about 6 MB, so that a few hundred KiB of unrelated heap (above) cannot blur it.
  beforeAll(async () => {
    // Bound high enough that nothing is evicted while measuring; runs never finish here.
    t = await startTestApp({ listen: true, env: { LOG_CACHE_MAX_BYTES: String(2 * 1024 ** 3) } });
    service = `Bearer ${await tokenFor('service')}`;
    // Warm up: the first requests compile code and fill caches, which would count as the first case's growth.
    await measure(t, service, 'cjk', 200, 2000);
    await measure(t, service, 'sliced', 200, 2000);
  });

  afterAll(async () => {
    if (results.length > 0) {
      const rows = results.map(
        (r) =>
          `${r.kind.padEnd(7)} ${String(r.chars).padStart(5)} chars x ${String(r.entries).padStart(6)}: held ${r.heldPerEntry.toFixed(0).padStart(5)} B, ` +
          `grown ${r.grownPerEntry.toFixed(0).padStart(5)} B, estimated ${r.estimatedPerEntry.toFixed(0).padStart(5)} B ` +
          `(${(((r.estimatedPerEntry - r.heldPerEntry) / r.heldPerEntry) * 100).toFixed(1)}%)`,
      );
      console.log(`heap cost of one cached entry:\n${rows.join('\n')}`);
    }
    await t?.close();
  });


  it.each(cases)('the estimate of a cached %s entry of %d characters is within 25%% of the heap it holds, and nothing else keeps it', async (kind, chars) => {
    const r = await measure(t, service, kind, chars);
    results.push(r);
    expect(Math.abs(r.estimatedPerEntry - r.heldPerEntry) / r.heldPerEntry).toBeLessThanOrEqual(0.25);
    // Nothing but the cache keeps the entries (had anything else a copy, the heap would have grown twice
    // as much): what the process kept besides is under half the cache's share, or 1 MiB (compiled code,
    // the string table that JSON.parse's short strings grew).
    expect((r.grownPerEntry - r.heldPerEntry) * r.entries).toBeLessThan(Math.max(0.5 * r.heldPerEntry * r.entries, 2 ** 20));
  });
});
