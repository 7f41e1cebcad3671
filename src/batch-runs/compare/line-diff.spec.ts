import { DiffEntry, diffLines, lineKey, RunSide } from './line-diff';

type Line = [level: string, phase: string | null, message: string];

/** A run of these lines, seqs from 1; counts how often it is read. */
function side(lines: Line[]): RunSide & { reads: number } {
  const entries: DiffEntry[] = lines.map(([level, phase, message], i) => ({
    seq: i + 1,
    timestamp: new Date(Date.UTC(2026, 0, 11, 14, 0, i)).toISOString(),
    level,
    phase,
    message,
  }));
  const s = {
    entryCount: entries.length,
    reads: 0,
    read: () => {
      s.reads += 1;
      return (async function* () {
        yield* entries;
      })();
    },
  };
  return s;
}

const seqs = (lines: { seq: number }[]) => lines.map((l) => l.seq);
const options = { limit: 200, maxEntries: 200_000 };

describe('diffLines', () => {
  it('reports nothing for runs that differ only in numbers, ids, uuids and timestamps', async () => {
    const a = side([
      ['info', 'load', 'loaded 1204 rows in 812ms'],
      ['info', 'load', 'batch 3f2a9c1d7b at 2026-01-11T14:07:11Z'],
    ]);
    const b = side([
      ['info', 'load', 'loaded 1187 rows in 790ms'],
      ['info', 'load', 'batch 8e41bb02c9 at 2026-01-12T14:06:58Z'],
    ]);
    const d = await diffLines(a, b, options);
    expect(d.onlyInA).toEqual([]);
    expect(d.onlyInB).toEqual([]);
    expect(d.truncated).toBe(false);
  });

  it('matches lines as a multiset: a reordering is no difference', async () => {
    const a = side([
      ['info', 'load', 'job alpha done'],
      ['info', 'load', 'job beta done'],
      ['info', 'load', 'job gamma done'],
    ]);
    const b = side([
      ['info', 'load', 'job gamma done'],
      ['info', 'load', 'job alpha done'],
      ['info', 'load', 'job beta done'],
    ]);
    const d = await diffLines(a, b, options);
    expect(d.onlyInA).toEqual([]);
    expect(d.onlyInB).toEqual([]);
  });

  it('matches the k-th occurrence with the k-th: extra occurrences are only in their run, the later ones', async () => {
    const a = side([
      ['warning', 'load', 'retrying 1'],
      ['info', 'load', 'x'],
      ['warning', 'load', 'retrying 2'],
      ['warning', 'load', 'retrying 3'],
    ]);
    const b = side([['warning', 'load', 'retrying 7']]);
    const d = await diffLines(a, b, options);
    expect(seqs(d.onlyInA)).toEqual([2, 3, 4]);
    expect(d.onlyInA.map((l) => l.message)).toEqual(['x', 'retrying 2', 'retrying 3']);
    expect(d.onlyInB).toEqual([]);
  });

  it('reports lines only in one run, in seq order, with their entry fields as stored', async () => {
    const a = side([
      ['info', 'extract', 'start'],
      ['error', 'load', '\u001b[31mconnection reset\u001b[0m'],
      ['info', 'load', 'done'],
    ]);
    const b = side([
      ['info', 'extract', 'start'],
      ['info', 'extract', 'cache warm'],
      ['info', 'load', 'done'],
      ['info', 'load', 'vacuum 12 tables'],
    ]);
    const d = await diffLines(a, b, options);
    expect(d.onlyInA).toEqual([{ seq: 2, timestamp: '2026-01-11T14:00:01.000Z', level: 'error', phase: 'load', message: '\u001b[31mconnection reset\u001b[0m' }]);
    expect(seqs(d.onlyInB)).toEqual([2, 4]);
  });

  it('tells lines apart by level and phase as well as by message', async () => {
    const a = side([
      ['info', 'load', 'step'],
      ['info', 'extract', 'step'],
    ]);
    const b = side([
      ['warning', 'load', 'step'],
      ['info', null, 'step'],
    ]);
    const d = await diffLines(a, b, options);
    expect(seqs(d.onlyInA)).toEqual([1, 2]);
    expect(seqs(d.onlyInB)).toEqual([1, 2]);
    expect(lineKey({ level: 'info', phase: null, message: 'a  1' })).toBe(lineKey({ level: 'info', phase: null, message: 'a 2' }));
  });

  it('cuts each list at limit and says so; the second pass over A stops after limit + 1', async () => {
    const a = side(Array.from({ length: 10 }, (_, i): Line => ['info', 'p', `only a ${'x'.repeat(i + 1)}`]));
    const b = side(Array.from({ length: 10 }, (_, i): Line => ['info', 'p', `only b ${'y'.repeat(i + 1)}`]));
    const d = await diffLines(a, b, { limit: 3, maxEntries: 100 });
    expect(seqs(d.onlyInA)).toEqual([1, 2, 3]);
    expect(seqs(d.onlyInB)).toEqual([1, 2, 3]);
    expect(d.truncated).toBe(true);
    expect(a.reads).toBe(2);
    expect(b.reads).toBe(1);

    const exact = await diffLines(side([['info', 'p', 'a']]), side([['info', 'p', 'b']]), { limit: 1, maxEntries: 100 });
    expect(exact.truncated).toBe(false);
  });

  it('compares at most maxEntries entries of each run, and says the answer is truncated', async () => {
    const a = side([
      ['info', 'p', 'same'],
      ['info', 'p', 'late in a'],
    ]);
    const b = side([['info', 'p', 'same']]);
    const d = await diffLines(a, b, { limit: 10, maxEntries: 1 });
    expect(d.onlyInA).toEqual([]);
    expect(d.truncated).toBe(true);
    expect(d.phaseCountsA.get('p')).toBe(1);
  });

  it('counts the compared entries of each phase, null for entries outside any phase', async () => {
    const a = side([
      ['info', 'extract', 'a'],
      ['info', 'load', 'b'],
      ['info', 'load', 'c'],
      ['info', null, 'd'],
    ]);
    const b = side([['info', 'load', 'b']]);
    const d = await diffLines(a, b, options);
    expect([...d.phaseCountsA]).toEqual([
      ['extract', 1],
      ['load', 2],
      [null, 1],
    ]);
    expect([...d.phaseCountsB]).toEqual([['load', 1]]);
  });
});
