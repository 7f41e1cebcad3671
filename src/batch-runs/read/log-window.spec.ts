/**
 * The pure parts of links to lines and complete answers: a filtered read of a cached log (window,
 * limit, whether more follow), the extent counted from pages (entry pages and snapshot pages alike),
 * the TXT trailer, and what ansi=strip|keep leave of a message.
 */
import { StoredLogEntry } from '../domain/run.events';
import { txtLine, txtLineKeepingSgr, txtTrailer } from './formats/log-format';
import { SnapshotText } from './formats/snapshot-text';
import { LogExtent } from './log-extent';
import { RunRecord } from './run-record';
import { filterCached } from './run-log.reader';

const entry = (seq: number): StoredLogEntry => ({ seq, timestamp: '2026-01-11T14:07:11.000Z', level: seq % 10 === 0 ? 'error' : 'info', phase: null, message: `m${seq}` });
const LOG = Array.from({ length: 100 }, (_, i) => entry(i + 1));
const seqs = (r: { entries: StoredLogEntry[] }) => r.entries.map((e) => e.seq);

describe('filterCached', () => {
  it('given a window, when read, then only its seqs, and the window end as next_after_seq while more follow', () => {
    const r = filterCached(LOG, 100, { afterSeq: 44, upToSeq: 55 });
    expect(seqs(r)).toEqual(Array.from({ length: 11 }, (_, i) => 45 + i));
    expect(r.nextAfterSeq).toBe(55);
  });

  it('given a window past the end, when read, then it is cut there and nothing follows', () => {
    expect(filterCached(LOG, 100, { afterSeq: 94, upToSeq: 105 })).toMatchObject({ nextAfterSeq: null });
    expect(seqs(filterCached(LOG, 100, { afterSeq: 94, upToSeq: 105 }))).toEqual([95, 96, 97, 98, 99, 100]);
  });

  it('given a level, when the window holds none but later entries match, then empty with the window end to go on from', () => {
    expect(filterCached(LOG, 100, { afterSeq: 0, upToSeq: 5, level: 'error' })).toEqual({ entries: [], nextAfterSeq: 5 });
  });

  it('given a limit, then more follow exactly when a matching entry is left', () => {
    expect(filterCached(LOG, 100, { level: 'error', limit: 10 }).nextAfterSeq).toBeNull(); // seq 100 is the last error
    expect(filterCached(LOG, 100, { level: 'error', limit: 9 }).nextAfterSeq).toBe(90);
    expect(filterCached(LOG, 100, { limit: 100 }).nextAfterSeq).toBeNull();
  });

  it('given upTo below the cache, then entries after upTo are neither returned nor counted as following', () => {
    expect(filterCached(LOG, 50, { afterSeq: 45 })).toMatchObject({ nextAfterSeq: null });
    expect(seqs(filterCached(LOG, 50, { afterSeq: 45 }))).toEqual([46, 47, 48, 49, 50]);
  });
});

describe('LogExtent', () => {
  async function* pages(): AsyncIterable<StoredLogEntry[] | SnapshotText> {
    yield new SnapshotText('[]', 3, 1); // the range comes from the page's first seq and count, the text is not read
    yield [];
    yield [entry(4), entry(5)];
  }

  it('counts the range from the pages as they pass, and asks what follows only at their end', async () => {
    const extent = new LogExtent();
    let asked = 0;
    for await (const page of extent.track(pages(), (seen) => (asked++, seen.lastSeq))) expect(page).toBeDefined();
    expect(asked).toBe(1);
    expect(extent).toMatchObject({ firstSeq: 1, lastSeq: 5, count: 5, nextAfterSeq: 5 });
  });
});

describe('TXT trailer and ANSI', () => {
  const run = (entryCount: number, droppedEntries = 0) => ({ entryCount, droppedEntries }) as RunRecord;
  const extent = (firstSeq: number | null, lastSeq: number | null, count: number, nextAfterSeq: number | null) => Object.assign(new LogExtent(), { firstSeq, lastSeq, count, nextAfterSeq });

  it('says the range, the total, and whether more follow', () => {
    expect(txtTrailer(run(1200), extent(1, 500, 500, 500))).toBe('-- entries 1-500 of 1200; more after seq 500 (after_seq=500)\n');
    expect(txtTrailer(run(1200), extent(1, 1200, 1200, null))).toBe('-- entries 1-1200 of 1200, complete\n');
    expect(txtTrailer(run(1200), extent(10, 900, 3, null))).toBe('-- entries 10-900 (3 matching) of 1200, no more follow\n');
    expect(txtTrailer(run(0), extent(null, null, 0, null))).toBe('-- no entries of 0, complete\n');
    expect(txtTrailer(run(50, 36), extent(1, 50, 50, null))).toBe('-- entries 1-50 of 50, complete; 36 more dropped at the entry cap (not stored)\n');
  });

  it('strip removes every escape sequence; keep leaves SGR raw; other controls are escaped either way', () => {
    const e = { ...entry(1), message: '\u001b[1;31mred\u001b[0m \u001b[2K\u001b]0;t\u0007x\u0001 \u001b' };
    expect(txtLine(e)).toBe('2026-01-11T14:07:11.000Z INFO red x\\u0001 \\u001b\n');
    expect(txtLineKeepingSgr(e)).toBe('2026-01-11T14:07:11.000Z INFO \u001b[1;31mred\u001b[0m x\\u0001 \\u001b\n');
    const plain = { ...entry(2), message: 'no controls' };
    expect(txtLineKeepingSgr(plain)).toBe(txtLine(plain));
  });
});
