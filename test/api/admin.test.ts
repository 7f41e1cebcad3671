/**
 * The admin's routes (role admin): the run history (newest first, keyset pagination, filters), one
 * run's details, its log's entry count, and its log in every format with level/phase/after_seq/limit.
 * A manual clock gives the runs known start times, two of them equal (ties broken by id).
 */
import request from 'supertest';
import { ManualClock } from '../../src/common/clock';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, download, Ingest, ISO_MS_UTC, RUN_FIELDS, TXT_ENTRY_LINE, uuid } from './api-helpers';

describe('admin API', () => {
  const clock = new ManualClock(new Date('2026-01-11T14:07:11.000Z'));
  let t: TestApp;
  let admin: string;
  let ingest: Ingest;
  const p1 = uuid();
  const p2 = uuid();
  /** Newest first, as the history lists them. */
  const expectedOrder = ['r-g', 'r-f', 'r-e', 'r-d', 'r-c', 'r-b', 'r-a'];

  beforeAll(async () => {
    t = await startTestApp({ listen: true, clock });
    admin = await bearer('admin', 'admin-1');
    ingest = new Ingest(t, await bearer('service', 'producer'));
    const runs: Array<[string, string | undefined, string | null, number]> = [
      // id, portfolio, final status (null: still running), seconds to advance before it starts
      ['r-a', p1, 'completed', 0],
      ['r-b', p2, 'failed', 1],
      ['r-c', p1, null, 1],
      ['r-d', p1, 'completed', 0], // starts at the same millisecond as r-c
      ['r-e', p2, 'completed', 1],
      ['r-f', undefined, 'partial', 1],
      ['r-g', p1, 'completed', 1],
    ];
    for (const [id, portfolio, status, advance] of runs) {
      clock.advance(advance * 1000);
      await ingest.start({ batch_run_id: id, portfolio_id: portfolio, owner_id: `owner-of-${id}`, total_jobs: 2, phases: ['extract', 'load'] });
    }
    clock.advance(1000);
    await ingest.append('r-g', [
      { level: 'info', message: 'e1', phase: 'extract' },
      { level: 'warning', message: 'w1', phase: 'extract' },
      { level: 'info', message: 'l1', phase: 'load' },
      { level: 'error', message: 'err', phase: 'load' },
      { level: 'warning', message: 'w2', phase: 'load' },
      { level: 'info', message: 'done', phase: 'load' },
    ]);
    await ingest.completePhase('r-g', 'extract', { completed_jobs: 1 });
    await ingest.completePhase('r-g', 'load', { completed_jobs: 1 });
    await ingest.append('r-c', [{ level: 'info', message: 'c1' }]);
    await ingest.completePhase('r-c', 'extract', { completed_jobs: 1 });
    for (const [id, , status] of runs) if (status) await ingest.finish(id, status);
  });
  afterAll(async () => t?.close());

  const get = (path: string) => request(t.baseUrl).get(path).set('Authorization', admin);
  const history = (query = '') => get(`/api/v1/admin/batch/history${query}`);
  const ids = (res: request.Response) => res.body.runs.map((r: { batch_run_id: string }) => r.batch_run_id);
  /** Follows next_cursor from the first page to the last; returns every page's ids. */
  const allPages = async (query: string): Promise<string[][]> => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await history(`?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(ids(res));
      cursor = res.body.next_cursor;
      expect(pages.length).toBeLessThan(20);
    } while (cursor);
    return pages;
  };

  describe('GET /api/v1/admin/batch/history', () => {
    it('lists runs newest first (ties by id), each with the run fields, current_phase and log_entry_count', async () => {
      const res = await history();
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['next_cursor', 'runs']);
      expect(ids(res)).toEqual(expectedOrder);
      expect(res.body.next_cursor).toBeNull();
      for (const run of res.body.runs) {
        expect(Object.keys(run)).toEqual(expect.arrayContaining([...RUN_FIELDS, 'current_phase', 'log_entry_count']));
        expect(run.started_at).toMatch(ISO_MS_UTC);
      }
      const g = res.body.runs[0];
      expect(g).toMatchObject({
        batch_run_id: 'r-g',
        portfolio_id: p1,
        owner_id: 'owner-of-r-g',
        status: 'completed',
        started_at: '2026-01-11T14:07:16.000Z',
        total_jobs: 2,
        completed_jobs: 2,
        failed_jobs: 0,
        log_entry_count: 6,
      });
      expect(g.completed_at).toMatch(ISO_MS_UTC);
      expect(res.body.runs.find((r: { batch_run_id: string }) => r.batch_run_id === 'r-c')).toMatchObject({ status: 'running', completed_at: null, log_entry_count: 1 });
      expect(res.body.runs.find((r: { batch_run_id: string }) => r.batch_run_id === 'r-f')).toMatchObject({ status: 'partial', portfolio_id: null });
    });

    it('pages with limit=2 through next_cursor to the end: every run once, in order, last cursor null', async () => {
      const pages = await allPages('limit=2');
      expect(pages).toEqual([['r-g', 'r-f'], ['r-e', 'r-d'], ['r-c', 'r-b'], ['r-a']]);
      const flat = pages.flat();
      expect(new Set(flat).size).toBe(flat.length);
    });

    it('pages with limit=1 and limit=3 give the same sequence', async () => {
      expect((await allPages('limit=1')).flat()).toEqual(expectedOrder);
      expect(await allPages('limit=3')).toEqual([['r-g', 'r-f', 'r-e'], ['r-d', 'r-c', 'r-b'], ['r-a']]);
    });

    it('a run started after the first page was read does not disturb the following pages', async () => {
      const first = await history('?limit=3');
      clock.advance(1000);
      await ingest.start({ batch_run_id: 'r-late', portfolio_id: uuid() });
      const second = await history(`?limit=3&cursor=${encodeURIComponent(first.body.next_cursor)}`);
      expect(ids(second)).toEqual(['r-d', 'r-c', 'r-b']);
      expect(ids(await history('?limit=1'))).toEqual(['r-late']);
    });

    it('filters by status, by portfolio_id, and both, with pagination', async () => {
      expect(ids(await history('?status=completed'))).toEqual(['r-g', 'r-e', 'r-d', 'r-a']);
      expect(ids(await history('?status=running&portfolio_id=' + p1))).toEqual(['r-c']);
      expect(ids(await history('?status=failed'))).toEqual(['r-b']);
      expect(ids(await history('?status=partial'))).toEqual(['r-f']);
      expect(ids(await history(`?portfolio_id=${p1}`))).toEqual(['r-g', 'r-d', 'r-c', 'r-a']);
      expect(ids(await history(`?portfolio_id=${p2}`))).toEqual(['r-e', 'r-b']);
      expect(await allPages(`limit=1&status=completed&portfolio_id=${p1}`)).toEqual([['r-g'], ['r-d'], ['r-a']]);
      expect(ids(await history(`?portfolio_id=${uuid()}`))).toEqual([]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['status=done', 'status'],
      ['portfolio_id=not-a-uuid', 'portfolio_id'],
      ['colour=red', 'colour'],
      ['cursor=zzz', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['not a date', 'r-a'])).toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
      [`cursor=${'A'.repeat(401)}`, 'cursor'],
    ])('400 for %s, naming %s', async (query, field) => {
      const res = await history(`?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('accepts limit=200 and limit=1', async () => {
      expect((await history('?limit=200')).status).toBe(200);
      expect(ids(await history('?limit=1'))).toHaveLength(1);
    });
  });

  describe('GET /api/v1/admin/batch/history/:batchRunId', () => {
    it('the run with log_entry_count, current_phase and its phases', async () => {
      const res = await get('/api/v1/admin/batch/history/r-c');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(expect.arrayContaining([...RUN_FIELDS, 'current_phase', 'log_entry_count', 'phases']));
      expect(res.body).toMatchObject({
        batch_run_id: 'r-c',
        portfolio_id: p1,
        owner_id: 'owner-of-r-c',
        status: 'running',
        completed_at: null,
        total_jobs: 2,
        completed_jobs: 1,
        failed_jobs: 0,
        current_phase: 'load',
        log_entry_count: 1,
      });
      expect(res.body.phases).toHaveLength(2);
      expect(res.body.phases[0]).toEqual({
        name: 'extract',
        status: 'completed',
        started_at: expect.stringMatching(ISO_MS_UTC),
        completed_at: expect.stringMatching(ISO_MS_UTC),
        completed_jobs: 1,
        failed_jobs: 0,
      });
      expect(res.body.phases[1]).toMatchObject({ name: 'load', completed_at: null, completed_jobs: 0 });
      expect(res.body.phases[1].status).not.toBe('completed');
    });

    it('404 for an unknown run, 400 for an id that cannot be one', async () => {
      const res = await get('/api/v1/admin/batch/history/nope');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      const bad = await get(`/api/v1/admin/batch/history/${encodeURIComponent('bad id')}`);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('batchRunId');
    });
  });

  describe('GET /api/v1/admin/batch/history/:batchRunId/logs/count', () => {
    it('{batch_run_id, count}', async () => {
      expect((await get('/api/v1/admin/batch/history/r-g/logs/count')).body).toEqual({ batch_run_id: 'r-g', count: 6 });
      expect((await get('/api/v1/admin/batch/history/r-a/logs/count')).body).toEqual({ batch_run_id: 'r-a', count: 0 });
    });

    it('404 for an unknown run', async () => {
      expect((await get('/api/v1/admin/batch/history/nope/logs/count')).status).toBe(404);
    });
  });

  describe('GET /api/v1/admin/batch/history/:batchRunId/logs', () => {
    const logs = (id: string, query = '') => download(t, `/api/v1/admin/batch/history/${id}/logs${query}`, admin);
    const jsonSeqs = async (query: string) => {
      const res = await logs('r-g', query);
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body);
      expect(body.entry_count).toBe(body.entries.length);
      return body.entries.map((e: { seq: number }) => e.seq);
    };

    it('JSON by default, the whole log', async () => {
      const res = await logs('r-g');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="r-g_logs.json"');
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ batch_run_id: 'r-g', status: 'completed', entry_count: 6 });
      expect(body.entries.map((e: { message: string }) => e.message)).toEqual(['e1', 'w1', 'l1', 'err', 'w2', 'done']);
    });

    it.each([
      ['?level=warning', [2, 5]],
      ['?level=error', [4]],
      ['?phase=load', [3, 4, 5, 6]],
      ['?phase=extract&level=info', [1]],
      ['?phase=nope', []],
      ['?after_seq=3', [4, 5, 6]],
      ['?after_seq=0', [1, 2, 3, 4, 5, 6]],
      ['?after_seq=6', []],
      ['?limit=2', [1, 2]],
      ['?after_seq=2&limit=2', [3, 4]],
      ['?level=warning&after_seq=2', [5]],
      ['?phase=load&level=info&limit=1', [3]],
    ])('JSON %s', async (query, seqs) => {
      expect(await jsonSeqs(query)).toEqual(seqs);
    });

    it('filters apply to TXT (with a Filter header line) and NDJSON alike', async () => {
      const txt = await logs('r-g', '?format=txt&level=warning&phase=load');
      expect(txt.status).toBe(200);
      expect(txt.body).toContain('Filter:      level=warning phase=load\n');
      const lines = txt.body.split('\n').filter((l: string) => TXT_ENTRY_LINE.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/ WARNING \[load\] w2$/);
      const nd = await logs('r-g', '?format=ndjson&after_seq=4&limit=1');
      expect(nd.status).toBe(200);
      expect(nd.body.trimEnd().split('\n').map((l: string) => JSON.parse(l).seq)).toEqual([5]);
    });

    it('the same filtered answer from the database as from memory', async () => {
      const second = await startTestApp({ db: t.db, listen: true });
      try {
        const res = await download(second, '/api/v1/admin/batch/history/r-g/logs?level=warning&format=json', admin);
        const body = JSON.parse(res.body);
        expect(body.source).toBe('entries');
        expect(body.entries.map((e: { seq: number }) => e.seq)).toEqual([2, 5]);
        const mem = JSON.parse((await logs('r-g', '?level=warning&format=json')).body);
        expect(body.entries).toEqual(mem.entries);
      } finally {
        await second.close();
      }
    });

    it.each([
      ['format=xml', 'format'],
      ['format=JSON', 'format'],
      ['format=', 'format'],
      ['level=debug', 'level'],
      ['phase=', 'phase'],
      ['after_seq=-1', 'after_seq'],
      ['after_seq=abc', 'after_seq'],
      ['limit=0', 'limit'],
      ['limit=1000001', 'limit'],
      ['colour=red', 'colour'],
    ])('400 for %s, naming %s', async (query, field) => {
      const res = await logs('r-g', `?${query}`);
      expect(res.status).toBe(400);
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(body.message)).toContain(field);
    });

    it('404 for an unknown run, in every format', async () => {
      for (const format of ['json', 'txt', 'ndjson']) {
        const res = await logs('nope', `?format=${format}`);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
    });
  });
});
