/**
 * Links to lines and how complete a log answer is (issue #14, sections 2 and 3), on a real PostgreSQL:
 * around_seq=N&context=M reads the entries with seq in [N-M, N+M] (level/phase applied) from memory, from
 * the entry table (a second instance, no cache) and for a run with a snapshot; every answer states its
 * seq range, the run's stored and dropped counts and the after_seq that continues it, exactly (a limit
 * that ends on the log's last entry says nothing more follows); and the TXT download strips ANSI
 * escape sequences or keeps only SGR raw.
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, download, Ingest, uuid } from './api-helpers';

const N = 120;
/** Every tenth entry is an error; the first half is phase extract, the rest load. */
const levelOf = (seq: number) => (seq % 10 === 0 ? 'error' : 'info');
const phaseOf = (seq: number) => (seq <= N / 2 ? 'extract' : 'load');
const messageOf = (seq: number) => `line ${seq}`;
const ALL = Array.from({ length: N }, (_, i) => ({ seq: i + 1, level: levelOf(i + 1), phase: phaseOf(i + 1), message: messageOf(i + 1) }));
const CAP = 150;

interface Entry {
  seq: number;
  level: string;
  phase: string | null;
  message: string;
}
interface LogJson {
  source: string;
  entries: Entry[];
  entry_count: number;
  first_seq: number | null;
  last_seq: number | null;
  total_entries: number;
  dropped_entries: number;
  next_after_seq: number | null;
}

describe('links to lines and complete answers', () => {
  let t: TestApp;
  let second: TestApp;
  let admin: string;
  let owner: string;
  let ingest: Ingest;
  const portfolio = uuid();

  async function writeRun(id: string, opts: { portfolio?: string; completeExtract?: boolean; finish?: boolean }): Promise<void> {
    await ingest.start({ batch_run_id: id, phases: ['extract', 'load'], ...(opts.portfolio ? { portfolio_id: opts.portfolio, owner_id: 'olga' } : {}) });
    const entries = ALL.map(({ level, phase, message }) => ({ level, phase, message }));
    await ingest.append(id, entries.slice(0, N / 2));
    if (opts.completeExtract) await ingest.completePhase(id, 'extract');
    await ingest.append(id, entries.slice(N / 2));
    if (opts.finish) {
      await ingest.completePhase(id, 'load');
      await ingest.finish(id);
    }
  }

  beforeAll(async () => {
    const env = { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000', DOWNLOADS_MAX_PER_PRINCIPAL: '100', MAX_ENTRIES_PER_RUN: String(CAP) };
    t = await startTestApp({ listen: true, env });
    admin = await bearer('admin', 'admin-1');
    owner = await bearer('user', 'olga');
    ingest = new Ingest(t, await bearer('service', 'producer'));
    await writeRun('lnk-open', { portfolio }); // running, no snapshot: memory in t, the entry table in second
    await writeRun('lnk-mixed', { completeExtract: true }); // a snapshot of seqs 1-60, then the entry table
    await writeRun('lnk-done', { completeExtract: true, finish: true }); // a snapshot of every entry
    second = await startTestApp({ db: t.db, listen: true, env }); // no cache: the database serves
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const logs = (app: TestApp, id: string, query: string) => download(app, `/api/v1/admin/batch/history/${id}/logs?${query}`, admin);
  async function json(app: TestApp, id: string, query: string): Promise<LogJson> {
    const res = await logs(app, id, `format=json&${query}`);
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  }
  async function txt(app: TestApp, id: string, query: string): Promise<string> {
    const res = await logs(app, id, `format=txt&${query}`);
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${res.body}`);
    return res.body;
  }
  const lastLine = (text: string) => text.slice(0, -1).split('\n').pop();

  /** What a window should hold: seqs lo..hi of the model, of the level if given. */
  const window = (lo: number, hi: number, level?: string) => ALL.filter((e) => e.seq >= lo && e.seq <= hi && (level === undefined || e.level === level));

  // [app, run, the source a filtered read comes from]
  const sources: Array<[string, () => TestApp, string, string]> = [
    ['memory (running run, cached)', () => t, 'lnk-open', 'memory'],
    ['the entry table (no cache)', () => second, 'lnk-open', 'entries'],
    ['a run with a snapshot and later entries (no cache)', () => second, 'lnk-mixed', 'entries'],
    ['a finished run with a snapshot (no cache)', () => second, 'lnk-done', 'entries'],
    ['a finished run with a snapshot (cached)', () => t, 'lnk-done', 'memory'],
  ];

  describe.each(sources)('around_seq from %s', (_, app, id, source) => {
    it.each([
      // [query, lo, hi, level, next_after_seq]
      ['around_seq=3&context=5', 1, 8, undefined, 8], // at the start: the window is cut at seq 1
      ['around_seq=60&context=10', 50, 70, undefined, 70], // in the middle
      ['around_seq=118&context=5', 113, 120, undefined, null], // at the end: cut at the last seq, nothing follows
      ['around_seq=60', 10, 110, undefined, 110], // context defaults to 50
      ['around_seq=60&context=0', 60, 60, undefined, 60], // the line alone
      ['around_seq=60&context=25&level=error', 35, 85, 'error', 80], // errors of the window; later errors follow
      ['around_seq=115&context=10&level=error', 105, 120, 'error', null],
      ['around_seq=55&context=10&phase=load', 45, 65, undefined, 65],
      ['around_seq=55&context=10&phase=extract', 45, 65, undefined, null], // later entries follow, none of the phase
      ['around_seq=500&context=10', 490, 510, undefined, null], // past the end: nothing
    ] as Array<[string, number, number, string | undefined, number | null]>)('%s', async (query, lo, hi, level, next) => {
      let expected = window(lo, hi, level);
      const phase = /phase=(\w+)/.exec(query)?.[1];
      if (phase) expected = expected.filter((e) => e.phase === phase);
      const body = await json(app(), id, query);
      expect(body.source).toBe(source);
      expect(body.entries.map(({ seq, level, phase, message }) => ({ seq, level, phase, message }))).toEqual(expected);
      expect(body).toMatchObject({
        entry_count: expected.length,
        first_seq: expected[0]?.seq ?? null,
        last_seq: expected[expected.length - 1]?.seq ?? null,
        total_entries: N,
        dropped_entries: 0,
        next_after_seq: next,
      });
    });

    it('a window holding no entry of the level, with later ones: empty, and next_after_seq past the window', async () => {
      const body = await json(app(), id, 'around_seq=3&context=2&level=error');
      expect(body).toMatchObject({ entries: [], entry_count: 0, first_seq: null, last_seq: null, total_entries: N, next_after_seq: 5 });
      const next = await json(app(), id, `after_seq=${body.next_after_seq}&level=error&limit=1`);
      expect(next.entries.map((e) => e.seq)).toEqual([10]);
    });

    it('a window with a limit stops at the limit and says where to go on', async () => {
      const body = await json(app(), id, 'around_seq=60&context=10&limit=5');
      expect(body.entries.map((e) => e.seq)).toEqual([50, 51, 52, 53, 54]);
      expect(body.next_after_seq).toBe(54);
    });

    it('next_after_seq walks the whole log page by page, every entry once, and then says nothing more follows', async () => {
      for (const [filter, expected] of [
        ['', ALL],
        ['&level=error', ALL.filter((e) => e.level === 'error')],
        ['&phase=load&level=error', ALL.filter((e) => e.level === 'error' && e.phase === 'load')],
      ] as Array<[string, Entry[]]>) {
        const seen: number[] = [];
        let after: number | null = 0;
        for (let pages = 0; after !== null; pages++) {
          if (pages > N) throw new Error('the walk does not end');
          const body: LogJson = await json(app(), id, `after_seq=${after}&limit=7${filter}`);
          seen.push(...body.entries.map((e) => e.seq));
          expect(body.entry_count).toBe(body.entries.length);
          after = body.next_after_seq;
          if (after !== null) expect(after).toBe(body.last_seq);
        }
        expect(seen).toEqual(expected.map((e) => e.seq));
      }
    });

    it('a limit that ends on the last matching entry says nothing more follows (exact, not a guess)', async () => {
      expect((await json(app(), id, 'after_seq=100&limit=20')).next_after_seq).toBeNull();
      expect((await json(app(), id, 'limit=120')).next_after_seq).toBeNull();
      expect((await json(app(), id, 'limit=119')).next_after_seq).toBe(119);
      expect((await json(app(), id, 'level=error&limit=12')).next_after_seq).toBeNull();
      expect((await json(app(), id, 'level=error&limit=11')).next_after_seq).toBe(110);
      // The last error of extract is seq 60, and 60 entries follow it, none an error of extract.
      expect((await json(app(), id, 'level=error&phase=extract&limit=6')).next_after_seq).toBeNull();
      expect((await json(app(), id, 'level=error&phase=extract&limit=5')).next_after_seq).toBe(50);
    });
  });

  describe('completeness in every format', () => {
    // [query, first, last, count, next, trailer]
    const answers: Array<[string, number | null, number | null, number, number | null, string]> = [
      ['', 1, N, N, null, `-- entries 1-${N} of ${N}, complete`],
      ['limit=50', 1, 50, 50, 50, `-- entries 1-50 of ${N}; more after seq 50 (after_seq=50)`],
      ['after_seq=100', 101, N, 20, null, `-- entries 101-${N} of ${N}, no more follow`],
      ['after_seq=100&limit=5', 101, 105, 5, 105, `-- entries 101-105 of ${N}; more after seq 105 (after_seq=105)`],
      ['level=error', 10, N, 12, null, `-- entries 10-${N} (12 matching) of ${N}, no more follow`],
      ['around_seq=60&context=10', 50, 70, 21, 70, `-- entries 50-70 of ${N}; more after seq 70 (after_seq=70)`],
      ['around_seq=3&context=2&level=error', null, null, 0, 5, `-- no entries of ${N}; more after seq 5 (after_seq=5)`],
    ];
    const apps: Array<[string, () => TestApp, string]> = [
      ['memory', () => t, 'lnk-open'],
      ['entries', () => second, 'lnk-open'],
      ['snapshot', () => second, 'lnk-done'],
    ];

    describe.each(apps)('from %s', (_, app, id) => {
      it.each(answers)('%s: json fields, txt trailer, headers on json, txt and ndjson', async (query, first, last, count, next, trailer) => {
        for (const format of ['json', 'txt', 'ndjson']) {
          const res = await logs(app(), id, `format=${format}&${query}`);
          expect(res.status).toBe(200);
          expect(res.headers['x-runlog-total-entries']).toBe(String(N));
          expect(res.headers['x-runlog-dropped-entries']).toBe('0');
          if (format === 'json') {
            const body = JSON.parse(res.body);
            expect(body).toMatchObject({ entry_count: count, first_seq: first, last_seq: last, total_entries: N, dropped_entries: 0, next_after_seq: next });
            // After entry_count, in the contract's order, and dropped_entries only once.
            expect(res.body).toMatch(/"entry_count":\d+,"first_seq":(\d+|null),"last_seq":(\d+|null),"total_entries":\d+,"dropped_entries":\d+,"next_after_seq":(\d+|null)\}\n$/);
            expect(res.body.match(/"dropped_entries"/g)).toHaveLength(1);
          } else if (format === 'txt') {
            expect(lastLine(res.body)).toBe(trailer);
          } else {
            const lines = res.body === '' ? [] : res.body.slice(0, -1).split('\n');
            expect(lines).toHaveLength(count);
            if (count > 0) expect([JSON.parse(lines[0]).seq, JSON.parse(lines[lines.length - 1]).seq]).toEqual([first, last]);
          }
        }
      });
    });

    it('the whole log from the snapshot states its range without the entries being reparsed', async () => {
      const body = await json(second, 'lnk-done', '');
      expect(body).toMatchObject({ source: 'snapshot', entry_count: N, first_seq: 1, last_seq: N, next_after_seq: null });
      const mixed = await json(second, 'lnk-mixed', '');
      expect(mixed).toMatchObject({ source: 'snapshot', entry_count: N, first_seq: 1, last_seq: N, next_after_seq: null });
      expect(lastLine(await txt(second, 'lnk-mixed', ''))).toBe(`-- entries 1-${N} of ${N}, complete`);
    });

    it('an empty run: no range, nothing follows, headers 0', async () => {
      await ingest.start({ batch_run_id: 'lnk-empty' });
      for (const app of [t, second]) {
        const res = await logs(app, 'lnk-empty', 'format=json');
        expect(res.headers['x-runlog-total-entries']).toBe('0');
        expect(JSON.parse(res.body)).toMatchObject({ entry_count: 0, first_seq: null, last_seq: null, total_entries: 0, dropped_entries: 0, next_after_seq: null });
        expect(lastLine(await txt(app, 'lnk-empty', ''))).toBe('-- no entries of 0, complete');
      }
    });

    it('a run that hit its entry cap says how many entries were dropped, in every format', async () => {
      await ingest.start({ batch_run_id: 'lnk-capped' });
      const lines = Array.from({ length: 100 }, (_, i) => ({ level: 'info', message: `capped ${i + 1}` }));
      await ingest.append('lnk-capped', lines);
      await ingest.append('lnk-capped', lines); // 49 lines and the warning that marks the cut are stored, 51 dropped
      const details = await request(t.baseUrl).get('/api/v1/admin/batch/history/lnk-capped').set('Authorization', admin).expect(200);
      const dropped: number = details.body.dropped_entries;
      expect(dropped).toBe(51);
      expect(details.body.log_entry_count).toBe(CAP);
      for (const app of [t, second]) {
        for (const format of ['json', 'txt', 'ndjson']) {
          const res = await logs(app, 'lnk-capped', `format=${format}`);
          expect(res.headers['x-runlog-total-entries']).toBe(String(CAP));
          expect(res.headers['x-runlog-dropped-entries']).toBe(String(dropped));
        }
        expect(await json(app, 'lnk-capped', '')).toMatchObject({ entry_count: CAP, total_entries: CAP, dropped_entries: dropped, next_after_seq: null, last_seq: CAP });
        expect(lastLine(await txt(app, 'lnk-capped', ''))).toBe(`-- entries 1-${CAP} of ${CAP}, complete; ${dropped} more dropped at the entry cap (not stored)`);
      }
    });

    it('the owner route states it too, and takes around_seq and context', async () => {
      const ownerLogs = (query: string) => download(t, `/api/v1/onboarding/status/${portfolio}/logs?batch_run_id=lnk-open&${query}`, owner);
      const res = await ownerLogs('format=json&around_seq=30&context=3');
      expect(res.status).toBe(200);
      expect(res.headers['x-runlog-total-entries']).toBe(String(N));
      expect(res.headers['x-runlog-dropped-entries']).toBe('0');
      expect(JSON.parse(res.body)).toMatchObject({ entry_count: 7, first_seq: 27, last_seq: 33, total_entries: N, next_after_seq: 33 });
      const text = (await ownerLogs('around_seq=30&context=3')).body; // txt by default
      expect(text).toContain('Filter:      around_seq=30 context=3\n');
      expect(lastLine(text)).toBe(`-- entries 27-33 of ${N}; more after seq 33 (after_seq=33)`);
      expect((await ownerLogs('format=ndjson')).headers['x-runlog-total-entries']).toBe(String(N));
    });
  });

  describe('ANSI in the TXT download', () => {
    const ESC = '\u001b';
    const MESSAGES = [
      `${ESC}[1;31mred bold${ESC}[0m plain`, // SGR
      `progress${ESC}[2K${ESC}[5Adone`, // CSI that are not SGR: erase line, cursor up
      `${ESC}]0;window title${ESC}\\ and ${ESC}]8;;https://example.test/${ESC}\\link${ESC}]8;;${ESC}\\ osc`, // OSC with ST
      `bell osc ${ESC}]2;t\u0007after`, // OSC ended by BEL
      `c1 csi \u009b32mgreen\u009b0m and a lone esc at the end ${ESC}`,
      `mixed ${ESC}[32mok${ESC}[0m\tand \u0001 and ${ESC}[?25l hidden cursor`,
    ];
    const STRIPPED = [
      'red bold plain',
      'progressdone',
      ' and link osc',
      'bell osc after',
      'c1 csi green and a lone esc at the end \\u001b',
      'mixed ok    and \\u0001 and  hidden cursor',
    ];
    const KEPT = [
      `${ESC}[1;31mred bold${ESC}[0m plain`,
      'progressdone',
      ' and link osc',
      'bell osc after',
      'c1 csi green and a lone esc at the end \\u001b', // C1 CSI is not kept: only ESC [ ... m
      `mixed ${ESC}[32mok${ESC}[0m    and \\u0001 and  hidden cursor`,
    ];
    const ansiPortfolio = uuid();
    const messagesOf = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^\d{4}-/.test(l))
        .map((l) => l.replace(/^\S+ INFO /, ''));

    beforeAll(async () => {
      await ingest.start({ batch_run_id: 'lnk-ansi', portfolio_id: ansiPortfolio, owner_id: 'olga' });
      await ingest.append('lnk-ansi', MESSAGES.map((message) => ({ level: 'info', message })));
    });

    it.each([
      ['memory', () => t],
      ['entries', () => second],
    ])('from %s: strip by default and with ansi=strip; ansi=keep keeps SGR raw and escapes every other control', async (_, app) => {
      expect(messagesOf(await txt(app(), 'lnk-ansi', ''))).toEqual(STRIPPED);
      expect(messagesOf(await txt(app(), 'lnk-ansi', 'ansi=strip'))).toEqual(STRIPPED);
      const kept = await txt(app(), 'lnk-ansi', 'ansi=keep');
      expect(messagesOf(kept)).toEqual(KEPT);
      // Nothing but SGR reaches the body raw: every ESC left starts an SGR sequence.
      expect(kept.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(messagesOf(await txt(app(), 'lnk-ansi', 'ansi=keep&around_seq=1&context=0'))).toEqual(KEPT.slice(0, 1));
    });

    it('JSON and NDJSON take ansi but keep messages as stored', async () => {
      for (const ansi of ['', '&ansi=strip', '&ansi=keep']) {
        expect((await json(t, 'lnk-ansi', ansi)).entries.map((e) => e.message)).toEqual(MESSAGES);
        const nd = await logs(t, 'lnk-ansi', `format=ndjson${ansi}`);
        expect(nd.body.slice(0, -1).split('\n').map((l: string) => JSON.parse(l).message)).toEqual(MESSAGES);
      }
    });

    it('the owner route takes ansi too', async () => {
      const owned = (query: string) => download(t, `/api/v1/onboarding/status/${ansiPortfolio}/logs?${query}`, owner);
      expect(messagesOf((await owned('')).body)).toEqual(STRIPPED);
      expect(messagesOf((await owned('ansi=keep')).body)).toEqual(KEPT);
      const bad = await owned('ansi=colour');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(JSON.parse(bad.body).message)).toContain('ansi');
    });
  });

  describe('400s', () => {
    it.each([
      ['around_seq=10&after_seq=5', 'around_seq'],
      ['around_seq=10&context=1001', 'context'],
      ['around_seq=10&context=-1', 'context'],
      ['around_seq=10&context=1e2', 'context'],
      ['context=5', 'context'], // context without around_seq
      ['around_seq=0', 'around_seq'],
      ['around_seq=2147483648', 'around_seq'],
      ['around_seq=ten', 'around_seq'],
      ['ansi=color', 'ansi'],
      ['format=txt&ansi=KEEP', 'ansi'],
    ])('admin: %s names %s', async (query, field) => {
      const res = await logs(t, 'lnk-open', query);
      expect(res.status).toBe(400);
      const body = JSON.parse(res.body);
      expect(body.code).toBe('validation_failed');
      expect(JSON.stringify(body.message)).toContain(field);
      expect(res.headers['x-runlog-total-entries']).toBeUndefined();
    });

    it.each([
      ['around_seq=10&context=1001', 'context'],
      ['around_seq=-3', 'around_seq'],
      ['after_seq=5', 'after_seq'], // the owner route takes no after_seq
    ])('owner: %s names %s', async (query, field) => {
      const res = await download(t, `/api/v1/onboarding/status/${portfolio}/logs?${query}`, owner);
      expect(res.status).toBe(400);
      expect(JSON.stringify(JSON.parse(res.body).message)).toContain(field);
    });

    it('the OpenAPI document names the new query fields and headers on both download routes', async () => {
      const doc = (await request(t.baseUrl).get('/api/docs-json').expect(200)).body;
      for (const path of ['/api/v1/admin/batch/history/{batchRunId}/logs', '/api/v1/onboarding/status/{portfolioId}/logs']) {
        const op = doc.paths[path].get;
        expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['around_seq', 'context', 'ansi']));
        expect(Object.keys(op.responses['200'].headers)).toEqual(expect.arrayContaining(['X-Runlog-Total-Entries', 'X-Runlog-Dropped-Entries']));
      }
      expect(Object.keys(doc.components.schemas.LogDocument.properties)).toEqual(
        expect.arrayContaining(['entry_count', 'first_seq', 'last_seq', 'total_entries', 'dropped_entries', 'next_after_seq']),
      );
    });

    it('context at its bounds is taken', async () => {
      expect((await json(t, 'lnk-open', 'around_seq=1&context=1000')).entry_count).toBe(N);
      expect((await json(t, 'lnk-open', 'around_seq=2147483647&context=1000')).entry_count).toBe(0);
      expect((await json(second, 'lnk-open', 'around_seq=2147483647&context=1000')).entry_count).toBe(0);
    });
  });
});
