/**
 * The portfolio owner's routes (role user; admin may read all): trigger the onboarding batch, follow
 * its status, download its log (latest run or a named one). A portfolio or run that is not the
 * caller's answers exactly like one that does not exist.
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, download, eventually, GENERATED_ID, Ingest, ISO_MS_UTC, TXT_ENTRY_LINE, uuid } from './api-helpers';

const STATUS_FIELDS = [
  'portfolio_id',
  'batch_run_id',
  'status',
  'current_phase',
  'started_at',
  'completed_at',
  'total_jobs',
  'completed_jobs',
  'failed_jobs',
  'progress_percent',
];

describe('owner API (onboarding)', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let admin: string;
  let ingest: Ingest;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    alice = await bearer('user', 'alice');
    bob = await bearer('user', 'bob');
    admin = await bearer('admin', 'admin-1');
    ingest = new Ingest(t, await bearer('service', 'producer'));
  });
  afterAll(async () => {
    await t?.orchestrator.idle();
    await t?.close();
  });

  const trigger = (portfolio: string, authorization: string) =>
    request(t.baseUrl).post(`/api/v1/onboarding/${portfolio}/batch`).set('Authorization', authorization).send();
  const status = (portfolio: string, authorization: string) =>
    request(t.baseUrl).get(`/api/v1/onboarding/status/${portfolio}`).set('Authorization', authorization);
  const logs = (portfolio: string, authorization: string, query = '') => download(t, `/api/v1/onboarding/status/${portfolio}/logs${query}`, authorization);
  /** Triggers onboarding and waits until the run is completed; returns its id. */
  const onboard = async (portfolio: string, authorization: string): Promise<string> => {
    const res = await trigger(portfolio, authorization);
    expect(res.status).toBe(202);
    const id: string = res.body.batch_run_id;
    await eventually(async () => {
      const s = await status(portfolio, authorization);
      return s.body.batch_run_id === id && s.body.status === 'completed' ? true : undefined;
    }, 20_000, `run ${id} to complete`);
    return id;
  };

  describe('POST /api/v1/onboarding/:portfolioId/batch', () => {
    it('202 {batch_run_id}; the run belongs to the caller and to the portfolio, and completes', async () => {
      const portfolio = uuid();
      const res = await trigger(portfolio, alice);
      expect(res.status).toBe(202);
      expect(Object.keys(res.body)).toEqual(['batch_run_id']);
      expect(res.body.batch_run_id).toMatch(GENERATED_ID);
      // The run is stored when 202 is answered: its status can be polled at once.
      expect((await status(portfolio, alice)).status).toBe(200);
      await eventually(async () => ((await status(portfolio, alice)).body.status === 'completed' ? true : undefined), 20_000);
      const run = await request(t.baseUrl).get(`/api/v1/admin/batch/history/${res.body.batch_run_id}`).set('Authorization', admin);
      expect(run.body).toMatchObject({ portfolio_id: portfolio, owner_id: 'alice', status: 'completed' });
      expect(run.body.phases.length).toBeGreaterThan(1);
      expect(run.body.phases.every((p: { status: string }) => p.status === 'completed')).toBe(true);
    });

    it('409 while the portfolio has a run of the caller still running', async () => {
      const portfolio = uuid();
      await ingest.start({ portfolio_id: portfolio, owner_id: 'alice' });
      const res = await trigger(portfolio, alice);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    });

    it('400 for a portfolioId that is not a UUID', async () => {
      const res = await trigger('not-a-uuid', alice);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('portfolioId') });
    });
  });

  describe('GET /api/v1/onboarding/status/:portfolioId', () => {
    it('the latest run with every field; progress_percent 100 once completed', async () => {
      const portfolio = uuid();
      const id = await onboard(portfolio, alice);
      const res = await status(portfolio, alice);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual([...STATUS_FIELDS].sort());
      expect(res.body).toMatchObject({ portfolio_id: portfolio, batch_run_id: id, status: 'completed', progress_percent: 100, failed_jobs: 0 });
      expect(res.body.started_at).toMatch(ISO_MS_UTC);
      expect(res.body.completed_at).toMatch(ISO_MS_UTC);
      expect(res.body.total_jobs).toBeGreaterThan(0);
      expect(res.body.completed_jobs).toBe(res.body.total_jobs);
      expect(Date.parse(res.body.completed_at)).toBeGreaterThanOrEqual(Date.parse(res.body.started_at));
    });

    it('a running run: progress from its job counts, current_phase set', async () => {
      const portfolio = uuid();
      const id = await ingest.start({ portfolio_id: portfolio, owner_id: 'carol', total_jobs: 4, phases: ['extract', 'load'] });
      await ingest.completePhase(id, 'extract', { completed_jobs: 1 });
      const res = await status(portfolio, await bearer('user', 'carol'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ batch_run_id: id, status: 'running', completed_at: null, total_jobs: 4, completed_jobs: 1, progress_percent: 25 });
      expect(res.body.current_phase).toBe('load');
    });

    it('404 for a portfolio with no run', async () => {
      const res = await status(uuid(), alice);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('400 for a portfolioId that is not a UUID', async () => {
      expect((await status('12345', alice)).status).toBe(400);
    });
  });

  describe('GET /api/v1/onboarding/status/:portfolioId/logs', () => {
    let portfolio: string;
    let first: string;
    let second: string;
    beforeAll(async () => {
      portfolio = uuid();
      first = await onboard(portfolio, alice);
      second = await onboard(portfolio, alice);
    });

    it('TXT by default: the latest run, with its header and one line per entry', async () => {
      const res = await logs(portfolio, alice);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${second}_logs.txt"`);
      const text: string = res.body;
      expect(text).toContain(`Batch run:   ${second}\n`);
      expect(text).toContain(`Portfolio:   ${portfolio}\n`);
      expect(text).toContain('Status:      completed\n');
      const lines = text.split('\n').filter((l) => TXT_ENTRY_LINE.test(l));
      const count = (await request(t.baseUrl).get(`/api/v1/admin/batch/history/${second}/logs/count`).set('Authorization', admin)).body.count;
      expect(count).toBeGreaterThan(5);
      expect(lines).toHaveLength(count);
      expect(text).toContain(`Entries:     ${count}\n`);
    });

    it('JSON: the latest run with its entries in seq order', async () => {
      const res = await logs(portfolio, alice, '?format=json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${second}_logs.json"`);
      const body = JSON.parse(res.body);
      expect(body).toMatchObject({ batch_run_id: second, portfolio_id: portfolio, owner_id: 'alice', status: 'completed' });
      expect(body.entry_count).toBe(body.entries.length);
      expect(body.entries.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: body.entries.length }, (_, i) => i + 1));
    });

    it('?batch_run_id= of an earlier run of the same portfolio: that run\'s log', async () => {
      const res = await logs(portfolio, alice, `?format=json&batch_run_id=${first}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${first}_logs.json"`);
      expect(JSON.parse(res.body).batch_run_id).toBe(first);
      const txt = await logs(portfolio, alice, `?batch_run_id=${first}`);
      expect(txt.body).toContain(`Batch run:   ${first}\n`);
    });

    it('?batch_run_id= of a run of another portfolio (even the caller\'s own): 404', async () => {
      const other = uuid();
      const otherRun = await onboard(other, alice);
      const res = await logs(portfolio, alice, `?batch_run_id=${otherRun}`);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('400 for an unknown format, a malformed batch_run_id, an unknown query field or a non-UUID portfolio', async () => {
      for (const query of ['?format=xml', '?format=', '?batch_run_id=bad%20id', '?colour=red']) {
        const res = await logs(portfolio, alice, query);
        expect([query, res.status]).toEqual([query, 400]);
      }
      const res = await logs('not-a-uuid', alice);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).message).toContain('portfolioId');
    });

    it('404 for a portfolio with no run', async () => {
      expect((await logs(uuid(), alice)).status).toBe(404);
    });
  });

  describe('what is not the caller\'s answers like what does not exist', () => {
    let portfolio: string;
    let aliceRun: string;
    beforeAll(async () => {
      portfolio = uuid();
      aliceRun = await onboard(portfolio, alice);
    });

    /** The body with the portfolio id replaced, so bodies for different ids compare. */
    const normalised = (body: unknown, portfolioId: string) => JSON.parse(JSON.stringify(body).split(portfolioId).join('<portfolio>'));

    it('status: another user\'s portfolio is the same 404 as a nonexistent one', async () => {
      const missing = uuid();
      const theirs = await status(portfolio, bob);
      const none = await status(missing, bob);
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      expect(normalised(theirs.body, portfolio)).toEqual(normalised(none.body, missing));
      expect(JSON.stringify(theirs.body)).not.toContain(aliceRun);
    });

    it('logs: another user\'s portfolio is the same 404 as a nonexistent one, in every format', async () => {
      const missing = uuid();
      for (const query of ['', '?format=json', '?format=txt']) {
        const theirs = await logs(portfolio, bob, query);
        const none = await logs(missing, bob, query);
        expect(theirs.status).toBe(404);
        expect(none.status).toBe(404);
        expect(theirs.headers['content-type']).toBe(none.headers['content-type']);
        expect(normalised(JSON.parse(theirs.body), portfolio)).toEqual(normalised(JSON.parse(none.body), missing));
      }
    });

    it('logs: another user\'s run named with batch_run_id is the same 404 as a nonexistent run', async () => {
      const theirs = await logs(portfolio, bob, `?batch_run_id=${aliceRun}`);
      const none = await logs(portfolio, bob, '?batch_run_id=batch_20990101_000000_ffff');
      expect(theirs.status).toBe(404);
      expect(none.status).toBe(404);
      const norm = (text: string, id: string) => text.split(id).join('<run>');
      expect(norm(theirs.body, aliceRun)).toBe(norm(none.body, 'batch_20990101_000000_ffff'));
    });

    it('a user\'s own later run on the same portfolio does not expose the other user\'s runs', async () => {
      const bobRun = await onboard(portfolio, bob);
      expect((await status(portfolio, bob)).body.batch_run_id).toBe(bobRun);
      expect((await status(portfolio, alice)).body.batch_run_id).toBe(aliceRun);
      expect((await logs(portfolio, bob, `?batch_run_id=${aliceRun}`)).status).toBe(404);
    });

    it('an admin reads any portfolio\'s status and logs', async () => {
      const s = await status(portfolio, admin);
      expect(s.status).toBe(200);
      expect(s.body.portfolio_id).toBe(portfolio);
      const l = await logs(portfolio, admin, `?format=json&batch_run_id=${aliceRun}`);
      expect(l.status).toBe(200);
      expect(JSON.parse(l.body)).toMatchObject({ batch_run_id: aliceRun, owner_id: 'alice' });
    });

    it('an admin can trigger onboarding too (the admin owns that run)', async () => {
      const p = uuid();
      const res = await trigger(p, admin);
      expect(res.status).toBe(202);
      await t.orchestrator.idle();
      const run = await request(t.baseUrl).get(`/api/v1/admin/batch/history/${res.body.batch_run_id}`).set('Authorization', admin);
      expect(run.body).toMatchObject({ owner_id: 'admin-1', portfolio_id: p });
    });
  });
});
