/**
 * Search (issue #14 §1): inside a run and across runs, through the HTTP routes, on a real PostgreSQL.
 * The indexer is driven by hand (SEARCH_INDEX_INTERVAL_MS=0) so each test knows what is indexed: a
 * match must be found whether its entry is in a chunk or still above the run's watermark.
 */
import { Client } from 'pg';
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { stripAnsi } from '../../src/batch-runs/domain/ansi';
import { NewLogEntry, StartRunInput } from '../../src/batch-runs/domain/run.commands';
import { SearchIndexer } from '../../src/batch-runs/search/search-indexer';
import { MIGRATIONS } from '../../migrations';
import { revertLastMigration, runMigrations } from '../../src/database/migrate';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, eventually, uuid } from './api-helpers';

const NO_INDEXER = { SEARCH_INDEX_INTERVAL_MS: '0' };

describe('search', () => {
  let t: TestApp;
  let admin: string;
  let indexer: SearchIndexer;

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: NO_INDEXER });
    admin = await bearer('admin', 'admin-1');
    indexer = t.app.get(SearchIndexer);
  });
  afterAll(async () => {
    await t?.close();
  });

  const start = (input: StartRunInput) => t.commandBus.execute(new StartBatchRunCommand({ phases: ['extract', 'load'], ...input }));
  const append = (batchRunId: string, entries: NewLogEntry[]) => t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries }));
  const finish = (batchRunId: string) => t.commandBus.execute(new FinishBatchRunCommand({ batchRunId, status: 'completed' }));
  /** Appends `count` lines made by `line(i)` (i from 1), in batches of 500. */
  const appendLines = async (batchRunId: string, count: number, line: (i: number) => NewLogEntry, from = 1) => {
    for (let i = from; i < from + count; i += 500) {
      await append(batchRunId, Array.from({ length: Math.min(500, from + count - i) }, (_, k) => line(i + k)));
    }
  };
  const indexAll = async () => {
    while ((await indexer.indexOnce(1_000_000)).entries > 0);
  };
  const watermark = async (id: string) =>
    (await t.pool.query(`SELECT search_indexed_seq FROM batch_run_history WHERE batch_run_id = $1`, [id])).rows[0].search_indexed_seq as number;
  const inRun = (id: string, query: Record<string, string | number | boolean>, authorization = admin) =>
    request(t.baseUrl).get(`/api/v1/admin/batch/history/${id}/logs/search`).query(query).set('Authorization', authorization);
  const across = (query: Record<string, string | number | boolean>) =>
    request(t.baseUrl).get('/api/v1/admin/search').query(query).set('Authorization', admin);
  /** Every page of an in-run search, following next_cursor. */
  const allPages = async (id: string, query: Record<string, string | number | boolean>) => {
    const seqs: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await inRun(id, cursor ? { ...query, cursor } : query);
      expect(res.status).toBe(200);
      seqs.push(...res.body.matches.map((m: { entry: { seq: number } }) => m.entry.seq));
      cursor = res.body.next_cursor;
      pages += 1;
    } while (cursor && pages < 100);
    return { seqs, pages };
  };

  describe('inside a run', () => {
    const id = 'search-in-run';
    beforeAll(async () => {
      await start({ batchRunId: id });
      await appendLines(id, 450, (i) => ({
        level: i % 50 === 0 ? 'error' : 'info',
        phase: i <= 200 ? 'extract' : 'load',
        message: i % 50 === 0 ? `\u001b[31mERROR\u001b[0m disk full on /dev/sd${i}` : `row ${i} copied (Batch_%)`,
      }));
    });

    it('finds a substring case-insensitively in entries the indexer has not reached, with ranges, context and the total', async () => {
      expect(await watermark(id)).toBe(0);
      const res = await inRun(id, { q: 'error DISK', context: 2 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ batch_run_id: id, q: 'error DISK', regex: false, total_matches: 9, next_cursor: null });
      expect(res.body.matches.map((m: { entry: { seq: number } }) => m.entry.seq)).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450]);
      const first = res.body.matches[0];
      expect(first.entry).toEqual({ seq: 50, timestamp: expect.any(String), level: 'error', phase: 'extract', message: '\u001b[31mERROR\u001b[0m disk full on /dev/sd50' });
      expect(first.text).toBe('ERROR disk full on /dev/sd50');
      expect(first.ranges).toEqual([[0, 10]]);
      expect(first.before.map((e: { seq: number }) => e.seq)).toEqual([48, 49]);
      expect(first.after.map((e: { seq: number }) => e.seq)).toEqual([51, 52]);
      expect(first.before[0]).toEqual({ seq: 48, timestamp: expect.any(String), level: 'info', phase: 'extract', message: 'row 48 copied (Batch_%)' });
      expect(res.body.matches[8].after).toEqual([]); // 450 is the last entry
    });

    it('matches the text without ANSI codes: a code between the words does not hide a match, and codes themselves never match', async () => {
      expect((await inRun(id, { q: 'ERROR disk' })).body.total_matches).toBe(9);
      expect((await inRun(id, { q: '[31m' })).body.total_matches).toBe(0);
      expect((await inRun(id, { q: '\u001b' })).body.total_matches).toBe(0);
    });

    it('% _ and \\ are literal in a substring', async () => {
      expect((await inRun(id, { q: 'batch_%' })).body.total_matches).toBe(441);
      expect((await inRun(id, { q: 'h_%)' })).body.total_matches).toBe(441);
      expect((await inRun(id, { q: 'row 1_' })).body.total_matches).toBe(0);
      expect((await inRun(id, { q: 'a\\b' })).body.total_matches).toBe(0);
    });

    it('the same answer after the indexer has reached the entries, and for entries on both sides of the watermark', async () => {
      const before = (await inRun(id, { q: 'error disk', context: 1 })).body;
      // A running run is indexed in whole chunks of 100: seqs 1..400 go to chunks, 401..450 stay above the watermark.
      await indexAll();
      expect(await watermark(id)).toBe(400);
      const after = (await inRun(id, { q: 'error disk', context: 1 })).body;
      expect(after).toEqual(before);
      const chunks = await t.pool.query(`SELECT first_seq, last_seq, body FROM batch_run_log_search WHERE batch_run_id = $1 ORDER BY first_seq`, [id]);
      expect(chunks.rows.map((r) => [r.first_seq, r.last_seq])).toEqual([[1, 100], [101, 200], [201, 300], [301, 400]]);
      expect(chunks.rows[0].body.split('\n')[49]).toBe('error disk full on /dev/sd50'); // without ANSI codes, in lower case
    });

    it('regex=true: a case-insensitive PostgreSQL regular expression, ^ anchored at each line, ranges placed by PostgreSQL', async () => {
      const res = await inRun(id, { q: '^error disk full on /dev/sd[1-2][05]0$', regex: true, context: 0 });
      expect(res.status).toBe(200);
      expect(res.body.regex).toBe(true);
      expect(res.body.matches.map((m: { entry: { seq: number } }) => m.entry.seq)).toEqual([100, 150, 200, 250]);
      expect(res.body.matches[0].ranges).toEqual([[0, 29]]); // the whole "ERROR disk full on /dev/sd100"
      expect(res.body.matches[0].before).toEqual([]);
      const several = await inRun(id, { q: 'o', regex: true, limit: 1 });
      expect(several.body.matches[0].ranges).toEqual([[1, 2], [7, 8]]); // "row 1 copied (Batch_%)"
      // \A cannot be checked on a chunk of lines: such a query scans every line, and still finds them.
      expect((await inRun(id, { q: '\\Aerror', regex: true })).body.total_matches).toBe(9);
      // (?c) makes it case-sensitive: the lower-case chunks cannot answer for it, so it scans too.
      expect((await inRun(id, { q: '(?c)ERROR disk', regex: true })).body.total_matches).toBe(9);
      expect((await inRun(id, { q: '(?c)error disk', regex: true })).body.total_matches).toBe(0);
    });

    it('level and phase filters apply to matches and to total_matches; context shows any level or phase', async () => {
      const errors = await inRun(id, { q: 'disk', level: 'error', phase: 'load' });
      expect(errors.body.total_matches).toBe(5);
      expect(errors.body.matches.map((m: { entry: { seq: number } }) => m.entry.seq)).toEqual([250, 300, 350, 400, 450]);
      expect(errors.body.matches[0].before[0]).toMatchObject({ level: 'info', phase: 'load' });
      expect((await inRun(id, { q: 'row', level: 'error' })).body.total_matches).toBe(0);
      expect((await inRun(id, { q: 'row', phase: 'extract' })).body.total_matches).toBe(196);
    });

    it('pages through every match with the cursor, with no duplicates and no gaps, across chunks and the unindexed tail', async () => {
      const { seqs, pages } = await allPages(id, { q: 'copied', limit: 37, context: 0 });
      const expected = Array.from({ length: 450 }, (_, i) => i + 1).filter((s) => s % 50 !== 0);
      expect(seqs).toEqual(expected);
      expect(pages).toBe(Math.ceil(441 / 37));
      const page = await inRun(id, { q: 'copied', limit: 37 });
      expect(page.body.total_matches).toBe(441);
    });

    it('a finished run is indexed down to its last line', async () => {
      await finish(id);
      await indexAll();
      expect(await watermark(id)).toBe(450); // the partial last chunk, 401..450, once the run can grow no more
      expect((await inRun(id, { q: 'disk full on /dev/sd450' })).body.total_matches).toBe(1);
    });
  });

  it('400s name their field: q missing or too long, an invalid regex, limit or context out of range, a bad cursor; an unknown run is 404', async () => {
    const id = 'search-errors';
    await start({ batchRunId: id });
    await append(id, [{ level: 'info', message: 'hello' }]);
    const missing = await inRun(id, {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.message)).toContain('q');
    const long = await inRun(id, { q: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body.message)).toMatch(/q must be (shorter|longer)/);
    expect((await inRun(id, { q: 'x'.repeat(200) })).status).toBe(200);
    const regex = await inRun(id, { q: 'a(b', regex: true });
    expect(regex.status).toBe(400);
    expect(regex.body).toMatchObject({ code: 'invalid_regex', field: 'q' });
    for (const query of [{ limit: 0 }, { limit: 201 }, { limit: 'ten' }, { context: 21 }, { regex: 'yes' }, { level: 'fatal' }]) {
      const res = await inRun(id, { q: 'hello', ...query });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(Object.keys(query)[0]);
    }
    const cursor = await inRun(id, { q: 'hello', cursor: 'not-a-cursor' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.message).toContain('cursor');
    expect((await across({ q: 'hello', limit: 101 })).status).toBe(400);
    expect((await across({ q: 'hello', since: 'yesterday' })).status).toBe(400);
    expect((await across({ q: 'hello', cursor: 'bad' })).status).toBe(400);
    expect((await across({})).status).toBe(400);
    const unknown = await inRun('no-such-run', { q: 'hello' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('run_not_found');
    expect((await request(t.baseUrl).get(`/api/v1/admin/search`).query({ q: 'x' }).set('Authorization', await bearer('user', 'u'))).status).toBe(403);
  });

  describe('across runs', () => {
    const portfolio = uuid();
    const ids = ['across-a', 'across-b', 'across-c', 'across-d'];
    beforeAll(async () => {
      // Oldest first: started_at a minute apart, so "newest first" is d, c, b, a.
      for (const [i, id] of ids.entries()) {
        await start({ batchRunId: id, portfolioId: i % 2 ? portfolio : null, startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
        await appendLines(id, 150 + i, (s) => ({
          level: s % 10 === 0 ? 'warning' : 'info',
          phase: 'extract',
          message: s % 10 === 0 ? `retrying \u001b[1mupstream-${id}\u001b[0m after timeout #${s}` : `ok ${s}`,
        }));
      }
      await finish('across-a');
      await finish('across-b');
      await indexer.indexRun('across-a', 100); // a: one chunk, the rest above its watermark
    });

    it('runs that match, newest first, with match counts and up to 3 first matches with their ranges', async () => {
      const res = await across({ q: 'UPSTREAM-across' });
      expect(res.status).toBe(200);
      expect(res.body.q).toBe('UPSTREAM-across');
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.runs.map((r: { run: { batch_run_id: string } }) => r.run.batch_run_id)).toEqual(['across-d', 'across-c', 'across-b', 'across-a']);
      expect(res.body.runs.map((r: { match_count: number }) => r.match_count)).toEqual([15, 15, 15, 15]);
      const d = res.body.runs[0];
      expect(d.run).toMatchObject({ batch_run_id: 'across-d', status: 'running', portfolio_id: portfolio });
      expect(d.first_matches).toHaveLength(3);
      expect(d.first_matches[0]).toEqual({
        seq: 10,
        timestamp: expect.any(String),
        level: 'warning',
        phase: 'extract',
        text: 'retrying upstream-across-d after timeout #10',
        ranges: [[9, 24]],
      });
      expect(d.first_matches.map((m: { seq: number }) => m.seq)).toEqual([10, 20, 30]);
      expect(stripAnsi(`retrying \u001b[1mupstream-across-d\u001b[0m after timeout #10`)).toBe(d.first_matches[0].text);
    });

    it('the same answer before and after the indexer has caught up', async () => {
      const before = (await across({ q: 'timeout #1' })).body;
      await indexAll();
      const after = (await across({ q: 'timeout #1' })).body;
      expect(after).toEqual(before);
      expect(before.runs.map((r: { match_count: number }) => r.match_count)).toEqual([7, 7, 7, 7]); // #10, #100..#150
    });

    it('filters: status, portfolio_id, since/until, level, phase; a regex across runs', async () => {
      const runsOf = async (query: Record<string, string | number | boolean>) => {
        const res = await across({ q: 'upstream', ...query });
        expect(res.status).toBe(200);
        return res.body.runs.map((r: { run: { batch_run_id: string } }) => r.run.batch_run_id);
      };
      expect(await runsOf({ status: 'completed' })).toEqual(['across-b', 'across-a']);
      expect(await runsOf({ portfolio_id: portfolio })).toEqual(['across-d', 'across-b']);
      expect(await runsOf({ since: '2026-01-01T00:01:00Z', until: '2026-01-01T00:02:00.000Z' })).toEqual(['across-c', 'across-b']);
      expect(await runsOf({ level: 'info' })).toEqual([]);
      expect(await runsOf({ phase: 'load' })).toEqual([]);
      const regex = await across({ q: 'upstream-across-[ab]\\M', regex: true });
      expect(regex.body.runs.map((r: { run: { batch_run_id: string } }) => r.run.batch_run_id)).toEqual(['across-b', 'across-a']);
      expect((await across({ q: 'nothing like this' })).body).toEqual({ q: 'nothing like this', regex: false, runs: [], next_cursor: null });
    });

    it('keyset pagination over runs: every run once, newest first', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await across(cursor ? { q: 'upstream', limit: 1, cursor } : { q: 'upstream', limit: 1 });
        expect(res.status).toBe(200);
        expect(res.body.runs.length).toBeLessThanOrEqual(1);
        seen.push(...res.body.runs.map((r: { run: { batch_run_id: string } }) => r.run.batch_run_id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(['across-d', 'across-c', 'across-b', 'across-a']);
    });
  });

  describe('the owner route', () => {
    it("finds in the owner's own run; another owner's run is 404, like an unknown one", async () => {
      const portfolio = uuid();
      await start({ batchRunId: 'owner-run', portfolioId: portfolio, ownerId: 'alice' });
      await append('owner-run', [{ level: 'error', message: 'Alice: import failed' }]);
      const alice = await bearer('user', 'alice');
      const bob = await bearer('user', 'bob');
      const path = `/api/v1/onboarding/status/${portfolio}/logs/search`;
      const own = await request(t.baseUrl).get(path).query({ q: 'IMPORT' }).set('Authorization', alice);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ batch_run_id: 'owner-run', total_matches: 1 });
      expect(own.body.matches[0]).toMatchObject({ text: 'Alice: import failed', ranges: [[7, 13]] });
      const named = await request(t.baseUrl).get(path).query({ q: 'import', batch_run_id: 'owner-run' }).set('Authorization', alice);
      expect(named.body.total_matches).toBe(1);
      expect((await request(t.baseUrl).get(path).query({ q: 'import' }).set('Authorization', bob)).status).toBe(404);
      expect((await request(t.baseUrl).get(path).query({ q: 'import', batch_run_id: 'owner-run' }).set('Authorization', bob)).status).toBe(404);
      expect((await request(t.baseUrl).get(path).query({ q: 'import', batch_run_id: 'search-in-run' }).set('Authorization', alice)).status).toBe(404);
    });
  });

  it('a search past its statement timeout is 400 search_too_broad, naming q', async () => {
    const id = 'search-broad';
    await start({ batchRunId: id });
    await appendLines(id, 20_000, (i) => ({ level: 'info', message: `line ${i} ${'abc'.repeat(20)}` }));
    const tight = await startTestApp({ db: t.db, listen: true, env: NO_INDEXER, config: { searchStatementTimeoutMs: 1 } });
    try {
      const res = await request(tight.baseUrl)
        .get(`/api/v1/admin/batch/history/${id}/logs/search`)
        .query({ q: '(a|b|c)*(abc)+x', regex: true })
        .set('Authorization', admin);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'search_too_broad', field: 'q' });
      expect(res.body.message).toContain('narrow');
      const wide = await request(tight.baseUrl).get('/api/v1/admin/search').query({ q: '(a|b|c)*(abc)+x', regex: true }).set('Authorization', admin);
      expect(wide.body).toMatchObject({ code: 'search_too_broad', field: 'q' });
    } finally {
      await tight.close();
    }
    // The same search with the default timeout answers (nothing matches).
    expect((await inRun(id, { q: '(a|b|c)*(abc)+x', regex: true })).body.total_matches).toBe(0);
  });

  it('the SQL ANSI stripper is stripAnsi: the same text for every kind of sequence', async () => {
    const samples = [
      'plain',
      '\u001b[31mred\u001b[0m',
      '\u001b[1;38;5;208mbold orange\u001b[m',
      '\u009b32mC1 CSI\u009b0m',
      'title \u001b]0;window title\u0007after',
      'link \u001b]8;;http://x\u001b\\text\u001b]8;;\u001b\\',
      'charset \u001b(Bdone \u001bcreset \u001b7saved',
      'lone \u001b at the end \u001b',
      'ümlaut \u001b[2K😀 emoji',
    ];
    const { rows } = await t.pool.query(`SELECT runlog_strip_ansi(m) AS s FROM unnest($1::text[]) WITH ORDINALITY AS u(m, i) ORDER BY i`, [samples]);
    expect(rows.map((r) => r.s)).toEqual(samples.map(stripAnsi));
  });

  it('indexing is idempotent, and two instances indexing at once never index a line twice', async () => {
    const ids = ['twin-1', 'twin-2', 'twin-3'];
    for (const id of ids) {
      await start({ batchRunId: id });
      await appendLines(id, 1234, (i) => ({ level: 'info', message: `twin ${id} ${i}` }));
      await finish(id);
    }
    const other = await startTestApp({ db: t.db, env: NO_INDEXER });
    try {
      const theirs = other.app.get(SearchIndexer);
      for (let round = 0; round < 10; round++) await Promise.all([indexer.indexOnce(700), theirs.indexOnce(700), indexer.indexRun('twin-1', 300)]);
      await Promise.all([indexAll(), (async () => { while ((await theirs.indexOnce(1_000_000)).entries > 0); })()]);
    } finally {
      await other.close();
    }
    await indexAll(); // nothing left: changes nothing
    for (const id of ids) {
      const { rows } = await t.pool.query(`SELECT first_seq, last_seq, body FROM batch_run_log_search WHERE batch_run_id = $1 ORDER BY first_seq`, [id]);
      let next = 1;
      for (const row of rows) {
        expect(row.first_seq).toBe(next); // contiguous, no overlap
        expect(row.body.split('\n')).toHaveLength(row.last_seq - row.first_seq + 1);
        next = row.last_seq + 1;
      }
      expect(next - 1).toBe(await watermark(id));
      const lastSeq = (await t.pool.query(`SELECT last_seq FROM batch_run_history WHERE batch_run_id = $1`, [id])).rows[0].last_seq;
      expect(await watermark(id)).toBe(lastSeq);
      expect((await inRun(id, { q: `twin ${id} 7` })).body.total_matches).toBe(1 + 10 + 100);
    }
  });

  it('the background indexer, on its own timer, indexes a finished run whole, a budget a tick; closing the app stops it', async () => {
    const id = 'search-timer';
    await start({ batchRunId: id });
    await appendLines(id, 1050, (i) => ({ level: 'info', message: `timer ${i}` }));
    await finish(id);
    const timed = await startTestApp({ db: t.db, env: { SEARCH_INDEX_INTERVAL_MS: '20', SEARCH_INDEX_BATCH_ENTRIES: '100' } });
    try {
      await eventually(async () => ((await watermark(id)) === 1050 ? true : undefined), 15_000, 'the timer-driven indexer to reach the last seq');
    } finally {
      await timed.close();
    }
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n, max(last_seq - first_seq + 1)::int AS most FROM batch_run_log_search WHERE batch_run_id = $1`, [id]);
    expect(rows[0]).toEqual({ n: 11, most: 100 });
  });

  it('deleting a run (retention) deletes its chunks', async () => {
    const id = 'search-doomed';
    await start({ batchRunId: id });
    await appendLines(id, 250, (i) => ({ level: 'info', message: `doomed ${i}` }));
    await finish(id);
    await indexAll();
    const chunks = () => t.pool.query(`SELECT count(*)::int AS n FROM batch_run_log_search WHERE batch_run_id = $1`, [id]).then((r) => r.rows[0].n);
    expect(await chunks()).toBeGreaterThan(0);
    await t.pool.query(`UPDATE batch_run_history SET completed_at = now() - interval '400 days' WHERE batch_run_id = $1`, [id]);
    const { RetentionService } = await import('../../src/batch-runs/retention/retention.service');
    const report = await t.app.get(RetentionService).runOnce();
    expect(report.runs).toBeGreaterThanOrEqual(1);
    expect(await chunks()).toBe(0);
  });

  // Last: it drops the index of this suite's database.
  it('without the trigram index (a server without pg_trgm): the same answers, scanning the chunks', async () => {
    const queries = [{ q: 'ERROR disk' }, { q: '^error disk full on /dev/sd[1-2][05]0$', regex: true }, { q: 'copied', limit: 7 }];
    const before = await Promise.all(queries.map(async (query) => (await inRun('search-in-run', query)).body));
    const acrossBefore = (await across({ q: 'upstream' })).body;
    await t.pool.query(`DROP INDEX ix_batch_run_log_search_body`);
    expect((await t.pool.query(`SELECT to_regclass('ix_batch_run_log_search_body') AS i`)).rows[0].i).toBeNull();
    for (const [i, query] of queries.entries()) expect((await inRun('search-in-run', query)).body).toEqual(before[i]);
    expect((await across({ q: 'upstream' })).body).toEqual(acrossBefore);
    expect(acrossBefore.runs).toHaveLength(4);
  });
});

describe('search migration', () => {
  it('down() removes the chunk table, the watermark and the SQL function; up() brings them back', async () => {
    const db = await createTestDatabase();
    const client = new Client({ connectionString: db.url });
    try {
      await runMigrations(db.url);
      await client.connect();
      const schema = async () =>
        (
          await client.query(`SELECT to_regclass('batch_run_log_search') IS NOT NULL AS chunks,
              EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'batch_run_history' AND column_name = 'search_indexed_seq') AS watermark,
              to_regprocedure('runlog_strip_ansi(text)') IS NOT NULL AS strip,
              to_regclass('ix_batch_run_log_search_body') IS NOT NULL AS trigram_index,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS trgm_available`)
        ).rows[0];
      const up = await schema();
      expect(up).toMatchObject({ chunks: true, watermark: true, strip: true });
      expect(up.trigram_index).toBe(up.trgm_available); // the index exactly where the extension is
      expect(MIGRATIONS[MIGRATIONS.length - 1].name).toBe('AddLogSearchIndex1764900000000');
      await revertLastMigration(db.url);
      expect(await schema()).toMatchObject({ chunks: false, watermark: false, strip: false, trigram_index: false });
      await runMigrations(db.url);
      expect(await schema()).toEqual(up);
    } finally {
      await client.end().catch(() => undefined);
      await db.drop();
    }
  });
});
