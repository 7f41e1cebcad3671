/**
 * The OpenAPI document is the contract: every route is called, for its success and for each error
 * that can be provoked, and each answer's status, media type and body are checked against the served
 * document (test/api/openapi-contract.ts). An answer with a status the document does not list for its
 * route fails, and so does a documented status no test provoked unless it is listed below as one that
 * cannot be (the database going away), so the document and the server cannot drift apart unseen.
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { connectSse, SseConnection } from '../support/sse-client';
import { asText, bearer, eventually, uuid } from './api-helpers';
import { OpenApiContract } from './openapi-contract';

const RUNS = '/api/v1/batch/runs';
const RUN = `${RUNS}/{batchRunId}`;
const HISTORY = '/api/v1/admin/batch/history';
const ONE = `${HISTORY}/{batchRunId}`;

/** Documented answers no test here provokes, and why. */
const NOT_PROVOKED = new Set([
  // The database unreachable: test/reliability/database-outage.test.ts stops PostgreSQL under a running app.
  ...[
    `POST ${RUNS}`,
    `POST ${RUN}/logs`,
    `POST ${RUN}/phases/{phase}/complete`,
    `POST ${RUN}/heartbeat`,
    `POST ${RUN}/finish`,
    `GET ${HISTORY}`,
    `GET ${ONE}`,
    `GET ${ONE}/logs/count`,
    `GET ${ONE}/logs`,
    `GET ${ONE}/timeline`,
    `GET ${ONE}/compare`,
    `GET ${ONE}/logs/search`,
    'GET /api/v1/admin/search',
    'GET /api/v1/onboarding/status/{portfolioId}/logs/search',
    'POST /api/v1/onboarding/{portfolioId}/batch',
    'GET /api/v1/onboarding/status/{portfolioId}',
    'GET /api/v1/onboarding/status/{portfolioId}/logs',
    'GET /health',
    'GET /health/ready',
  ].map((op) => `${op} 503`),
]);

const MIB = 1024 * 1024;
/** The download budget per principal: every call of a download route counts, refused ones too. */
const DOWNLOADS_PER_MINUTE = 12;

describe('the OpenAPI document is the contract', () => {
  let t: TestApp;
  let contract: OpenApiContract;
  let admin: string;
  let service: string;
  let user: string;
  const owner = 'contract-owner';

  beforeAll(async () => {
    t = await startTestApp({
      listen: true,
      config: { rateLimitDownloadsPerMinute: DOWNLOADS_PER_MINUTE, sseMaxPerPrincipal: 1, sseMaxConnections: 2 },
    });
    contract = new OpenApiContract((await request(t.baseUrl).get('/api/docs-json').expect(200)).body);
    admin = await bearer('admin', 'contract-admin');
    service = await bearer('service', 'contract-producer');
    user = await bearer('user', owner);
  });
  afterAll(async () => t?.close());

  interface Call {
    auth?: string;
    /** JSON unless `contentType` says otherwise. */
    body?: unknown;
    contentType?: string;
    headers?: Record<string, string>;
  }

  /** Calls a route (path filled in from the template) and checks the answer against the document. */
  async function call(method: 'GET' | 'POST', template: string, path: string, expected: number, options: Call = {}): Promise<{ status: number; text: string; json: () => any }> {
    let req = request(t.baseUrl)[method === 'GET' ? 'get' : 'post'](path).buffer(true).parse(asText as never);
    if (options.auth) req = req.set('Authorization', options.auth);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (options.contentType) req = req.set('Content-Type', options.contentType);
    if (options.body !== undefined) req = req.send(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    if (options.body !== undefined && !options.contentType) req = req.set('Content-Type', 'application/json');
    const res = await req;
    const text = typeof res.body === 'string' ? res.body : '';
    contract.check(method, template, { status: res.status, contentType: res.headers['content-type'] ?? '', text });
    expect(res.status).toBe(expected);
    return { status: res.status, text, json: () => JSON.parse(text) };
  }

  const started = async (body: object = {}) => (await call('POST', RUNS, RUNS, 201, { auth: service, body })).json().batch_run_id as string;
  const entries = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ level: ['info', 'warning', 'error'][i % 3], message: `line ${from + i}`, phase: 'extract', seq: from + i }));

  describe('ingestion', () => {
    it('start: 201 with or without a body; 400, 401, 403, 409, 413, 415', async () => {
      await call('POST', RUNS, RUNS, 201, { auth: service });
      const id = await started({ batch_run_id: `contract-${uuid()}`, portfolio_id: uuid(), owner_id: 'someone', total_jobs: 3, phases: ['extract', 'load'] });
      await started({ batch_run_id: null, total_jobs: null });
      await call('POST', RUNS, RUNS, 400, { auth: service, body: { total_jobs: 1.5 } });
      await call('POST', RUNS, RUNS, 400, { auth: service, body: { colour: 'blue' } });
      await call('POST', RUNS, RUNS, 400, { auth: service, body: '{"broken', contentType: 'application/json' });
      await call('POST', RUNS, RUNS, 400, { auth: service, body: { phases: ['a', 'a'] } });
      await call('POST', RUNS, RUNS, 401, { body: {} });
      await call('POST', RUNS, RUNS, 401, { auth: 'Bearer not-a-token', body: {} });
      await call('POST', RUNS, RUNS, 403, { auth: user, body: {} });
      await call('POST', RUNS, RUNS, 409, { auth: service, body: { batch_run_id: id } });
      await call('POST', RUNS, RUNS, 413, { auth: service, body: JSON.stringify({ owner_id: 'x'.repeat(5 * MIB + 1) }), contentType: 'application/json' });
      await call('POST', RUNS, RUNS, 415, { auth: service, body: 'batch_run_id=x', contentType: 'application/x-www-form-urlencoded' });
    });

    it('append: 201; 400, 401, 403, 404, 409, 413, 415', async () => {
      const id = await started({ phases: ['extract'] });
      const path = `${RUNS}/${id}/logs`;
      const first = (await call('POST', `${RUN}/logs`, path, 201, { auth: service, body: { entries: entries(3) } })).json();
      expect(first).toEqual({ appended: 3, last_seq: 3 });
      await call('POST', `${RUN}/logs`, path, 201, { auth: service, body: { entries: [{ level: 'info', message: 'plain', timestamp: null, phase: null, seq: null }] } });
      await call('POST', `${RUN}/logs`, path, 400, { auth: service, body: { entries: [] } });
      await call('POST', `${RUN}/logs`, path, 400, { auth: service, body: { entries: [{ level: 'debug', message: 'x' }] } });
      await call('POST', `${RUN}/logs`, `${RUNS}/bad%20id/logs`, 400, { auth: service, body: { entries: entries(1) } });
      await call('POST', `${RUN}/logs`, path, 401, { body: { entries: entries(1) } });
      await call('POST', `${RUN}/logs`, path, 403, { auth: user, body: { entries: entries(1) } });
      await call('POST', `${RUN}/logs`, `${RUNS}/no-such-run/logs`, 404, { auth: service, body: { entries: entries(1) } });
      await call('POST', `${RUN}/logs`, path, 409, { auth: service, body: { entries: entries(1, 9) } }); // seq_gap
      await call('POST', `${RUN}/logs`, path, 413, { auth: service, body: JSON.stringify({ entries: [{ level: 'info', message: 'x'.repeat(5 * MIB + 1) }] }), contentType: 'application/json' });
      await call('POST', `${RUN}/logs`, path, 415, { auth: service, body: 'entries', contentType: 'text/plain' });
    });

    it('complete a phase, heartbeat, finish: 200; 400, 401, 403, 404, 409, 413, 415', async () => {
      const id = await started({ phases: ['extract', 'load'] });
      const phase = (name: string) => `${RUNS}/${id}/phases/${encodeURIComponent(name)}/complete`;
      const P = `${RUN}/phases/{phase}/complete`;
      await call('POST', P, phase('extract'), 200, { auth: service, body: { completed_jobs: 2, failed_jobs: 0 } });
      await call('POST', P, phase('load'), 200, { auth: service }); // no body: valid
      await call('POST', P, phase('extract'), 409, { auth: service, body: { status: 'failed' } }); // phase_completed
      await call('POST', P, phase('x'.repeat(201)), 400, { auth: service, body: {} });
      await call('POST', P, phase('load'), 400, { auth: service, body: { completed_jobs: -1 } });
      await call('POST', P, phase('load'), 401, { body: {} });
      await call('POST', P, phase('load'), 403, { auth: user, body: {} });
      await call('POST', P, `${RUNS}/no-such-run/phases/x/complete`, 404, { auth: service, body: {} });
      await call('POST', P, phase('load'), 413, { auth: service, body: JSON.stringify({ status: 'x'.repeat(5 * MIB + 1) }), contentType: 'application/json' });
      await call('POST', P, phase('load'), 415, { auth: service, body: 'status=completed', contentType: 'application/x-www-form-urlencoded' });

      const H = `${RUN}/heartbeat`;
      await call('POST', H, `${RUNS}/${id}/heartbeat`, 200, { auth: service });
      await call('POST', H, `${RUNS}/bad%20id/heartbeat`, 400, { auth: service });
      await call('POST', H, `${RUNS}/${id}/heartbeat`, 401, {});
      await call('POST', H, `${RUNS}/${id}/heartbeat`, 403, { auth: user });
      await call('POST', H, `${RUNS}/no-such-run/heartbeat`, 404, { auth: service });
      await call('POST', H, `${RUNS}/${id}/heartbeat`, 413, { auth: service, body: JSON.stringify({ x: 'x'.repeat(5 * MIB + 1) }), contentType: 'application/json' });
      await call('POST', H, `${RUNS}/${id}/heartbeat`, 415, { auth: service, body: 'x', contentType: 'text/plain' });

      const F = `${RUN}/finish`;
      await call('POST', F, `${RUNS}/${id}/finish`, 400, { auth: service, body: { status: 'running' } });
      await call('POST', F, `${RUNS}/${id}/finish`, 400, { auth: service, body: {} });
      await call('POST', F, `${RUNS}/${id}/finish`, 200, { auth: service, body: { status: 'partial', completed_jobs: null } });
      await call('POST', F, `${RUNS}/${id}/finish`, 200, { auth: service, body: { status: 'partial' } }); // a retry
      await call('POST', F, `${RUNS}/${id}/finish`, 409, { auth: service, body: { status: 'failed' } });
      await call('POST', F, `${RUNS}/${id}/finish`, 401, { body: { status: 'failed' } });
      await call('POST', F, `${RUNS}/${id}/finish`, 403, { auth: user, body: { status: 'failed' } });
      await call('POST', F, `${RUNS}/no-such-run/finish`, 404, { auth: service, body: { status: 'failed' } });
      await call('POST', F, `${RUNS}/${id}/finish`, 413, { auth: service, body: JSON.stringify({ status: 'x'.repeat(5 * MIB + 1) }), contentType: 'application/json' });
      await call('POST', F, `${RUNS}/${id}/finish`, 415, { auth: service, body: 'status=failed', contentType: 'application/x-www-form-urlencoded' });
      await call('POST', H, `${RUNS}/${id}/heartbeat`, 409, { auth: service }); // finished: no lease
      await call('POST', `${RUN}/logs`, `${RUNS}/${id}/logs`, 409, { auth: service, body: { entries: entries(1, 1) } }); // run_finished
    });
  });

  describe('admin', () => {
    let id: string;
    beforeAll(async () => {
      id = await started({ phases: ['extract'], portfolio_id: uuid(), owner_id: owner });
      await call('POST', `${RUN}/logs`, `${RUNS}/${id}/logs`, 201, { auth: service, body: { entries: entries(4) } });
      await call('POST', `${RUN}/finish`, `${RUNS}/${id}/finish`, 200, { auth: service, body: { status: 'completed' } });
    });

    it('list: 200 with pages and cursors; 400, 401, 403', async () => {
      const page = (await call('GET', HISTORY, `${HISTORY}?limit=1`, 200, { auth: admin })).json();
      expect(page.next_cursor).toEqual(expect.any(String));
      await call('GET', HISTORY, `${HISTORY}?limit=1&cursor=${page.next_cursor}&status=completed`, 200, { auth: admin });
      await call('GET', HISTORY, `${HISTORY}?limit=0x10`, 400, { auth: admin });
      await call('GET', HISTORY, `${HISTORY}?cursor=nonsense`, 400, { auth: admin });
      await call('GET', HISTORY, HISTORY, 401, {});
      await call('GET', HISTORY, HISTORY, 403, { auth: service });
    });

    it('details and count: 200; 400, 401, 403, 404', async () => {
      for (const [template, suffix] of [[ONE, ''], [`${ONE}/logs/count`, '/logs/count']]) {
        await call('GET', template, `${HISTORY}/${id}${suffix}`, 200, { auth: admin });
        await call('GET', template, `${HISTORY}/bad%20id${suffix}`, 400, { auth: admin });
        await call('GET', template, `${HISTORY}/${id}${suffix}`, 401, {});
        await call('GET', template, `${HISTORY}/${id}${suffix}`, 403, { auth: user });
        const missing = (await call('GET', template, `${HISTORY}/no-such-run${suffix}`, 404, { auth: admin })).json();
        expect(missing.code).toBe('run_not_found');
      }
    });

    it('download: 200 in each format (and filtered); 400, 401, 403, 404', async () => {
      const L = `${ONE}/logs`;
      for (const format of ['json', 'txt', 'ndjson']) await call('GET', L, `${HISTORY}/${id}/logs?format=${format}`, 200, { auth: admin });
      const ndjson = await call('GET', L, `${HISTORY}/${id}/logs?format=ndjson&level=info&after_seq=0&limit=10&phase=extract`, 200, { auth: admin });
      for (const line of ndjson.text.split('\n').filter(Boolean)) contract.validate(contract.component('LogEntry'), JSON.parse(line), 'an ndjson line');
      await call('GET', L, `${HISTORY}/${id}/logs?format=pdf`, 400, { auth: admin });
      await call('GET', L, `${HISTORY}/${id}/logs`, 401, {});
      await call('GET', L, `${HISTORY}/${id}/logs`, 403, { auth: user });
      await call('GET', L, `${HISTORY}/no-such-run/logs`, 404, { auth: admin });
    });

    it('download: 429 past the per-minute budget', async () => {
      const greedy = await bearer('admin', 'contract-greedy');
      for (let i = 0; i < DOWNLOADS_PER_MINUTE; i++) await call('GET', `${ONE}/logs`, `${HISTORY}/${id}/logs?format=txt`, 200, { auth: greedy });
      await call('GET', `${ONE}/logs`, `${HISTORY}/${id}/logs?format=txt`, 429, { auth: greedy });
    });

    it('timeline: 200; 400, 401, 403, 404', async () => {
      const T = `${ONE}/timeline`;
      await call('GET', T, `${HISTORY}/${id}/timeline`, 200, { auth: admin });
      await call('GET', T, `${HISTORY}/${id}/timeline?at=${encodeURIComponent(new Date().toISOString())}`, 200, { auth: admin });
      await call('GET', T, `${HISTORY}/${id}/timeline?at=2026-01-11T14:07:11`, 400, { auth: admin });
      await call('GET', T, `${HISTORY}/${id}/timeline`, 401, {});
      await call('GET', T, `${HISTORY}/${id}/timeline`, 403, { auth: user });
      await call('GET', T, `${HISTORY}/no-such-run/timeline`, 404, { auth: admin });
    });

    it('events: 200 text/event-stream, each message as documented; 204; 400, 401, 403, 404, 429, 503', async () => {
      const E = `${ONE}/events`;
      const sse = await connectSse(`${t.baseUrl}${HISTORY}/${id}/events`, { Authorization: admin });
      const messages = await sse.rest();
      expect(sse.status).toBe(200);
      contract.check('GET', E, { status: sse.status, contentType: String(sse.headers['content-type']) });
      expect(messages.map((m) => m.event)).toEqual(['BatchRunStarted', 'LogAppended', 'BatchRunFinished']);
      const schema = (contract.doc.paths[E].get.responses['200'].content ?? {})['text/event-stream'].schema;
      for (const m of messages) contract.validate(schema, { id: m.id, event: m.event, data: JSON.parse(m.data) }, `SSE message ${m.id}`);
      const last = messages[messages.length - 1].id!;
      await call('GET', E, `${HISTORY}/${id}/events`, 204, { auth: admin, headers: { 'Last-Event-ID': last } });
      await call('GET', E, `${HISTORY}/${id}/events`, 400, { auth: admin, headers: { 'Last-Event-ID': 'x1' } });
      await call('GET', E, `${HISTORY}/${id}/events?speed=0`, 400, { auth: admin });
      await call('GET', E, `${HISTORY}/${id}/events`, 401, {});
      await call('GET', E, `${HISTORY}/${id}/events`, 403, { auth: user });
      await call('GET', E, `${HISTORY}/no-such-run/events`, 404, { auth: admin });

      // A running run's stream stays open: one per principal (429 past it), two in all (503 past them).
      const live = await started();
      const open: SseConnection[] = [];
      try {
        open.push(await connectSse(`${t.baseUrl}${HISTORY}/${live}/events`, { Authorization: admin }));
        contract.check('GET', E, { status: open[0].status, contentType: String(open[0].headers['content-type']) });
        await call('GET', E, `${HISTORY}/${live}/events`, 429, { auth: admin });
        open.push(await connectSse(`${t.baseUrl}${HISTORY}/${live}/events`, { Authorization: await bearer('admin', 'contract-watcher') }));
        await call('GET', E, `${HISTORY}/${live}/events`, 503, { auth: await bearer('admin', 'contract-third') });
      } finally {
        open.forEach((c) => c.close());
      }
    });
  });

  describe('owner', () => {
    const O = '/api/v1/onboarding';
    it('trigger, status, download: 2xx; 400, 401, 403, 404, 409, 429', async () => {
      const portfolio = uuid();
      await call('GET', `${O}/status/{portfolioId}`, `${O}/status/${portfolio}`, 404, { auth: user });
      await call('GET', `${O}/status/{portfolioId}/logs`, `${O}/status/${portfolio}/logs`, 404, { auth: user });
      const run = (await call('POST', `${O}/{portfolioId}/batch`, `${O}/${portfolio}/batch`, 202, { auth: user })).json().batch_run_id;
      await call('GET', `${O}/status/{portfolioId}`, `${O}/status/${portfolio}`, 200, { auth: user });
      for (const format of ['txt', 'json', 'ndjson']) {
        await call('GET', `${O}/status/{portfolioId}/logs`, `${O}/status/${portfolio}/logs?format=${format}&batch_run_id=${run}`, 200, { auth: user });
      }
      for (const [method, template, path] of [
        ['POST', `${O}/{portfolioId}/batch`, `${O}/not-a-uuid/batch`],
        ['GET', `${O}/status/{portfolioId}`, `${O}/status/not-a-uuid`],
        ['GET', `${O}/status/{portfolioId}/logs`, `${O}/status/not-a-uuid/logs`],
      ] as const) {
        await call(method, template, path, 400, { auth: user });
        await call(method, template, path.replace('not-a-uuid', portfolio), 401, {});
        await call(method, template, path.replace('not-a-uuid', portfolio), 403, { auth: service });
      }
      await call('GET', `${O}/status/{portfolioId}/logs`, `${O}/status/${portfolio}/logs?format=pdf`, 400, { auth: user });

      // A run of the portfolio still running: the owner's trigger is refused.
      const busy = uuid();
      await started({ portfolio_id: busy, owner_id: owner });
      const refused = (await call('POST', `${O}/{portfolioId}/batch`, `${O}/${busy}/batch`, 409, { auth: user })).json();
      expect(refused.code).toBe('portfolio_onboarding');

      // The budget is counted before the run is looked up: a principal of its own, whose asks are all 404s.
      const greedy = await bearer('user', 'contract-greedy-user');
      for (let i = 0; i < DOWNLOADS_PER_MINUTE; i++) await call('GET', `${O}/status/{portfolioId}/logs`, `${O}/status/${portfolio}/logs`, 404, { auth: greedy });
      await call('GET', `${O}/status/{portfolioId}/logs`, `${O}/status/${portfolio}/logs`, 429, { auth: greedy });

      // The onboarding batch (DEMO_BATCH_SECONDS 0) ends before the app closes.
      await eventually(async () => ((await call('GET', `${O}/status/{portfolioId}`, `${O}/status/${portfolio}`, 200, { auth: user })).json().status === 'running' ? undefined : true));
    });
  });

  describe('compare', () => {
    it('compare: 200; 400, 401, 403, 404', async () => {
      const portfolio = uuid();
      const [a, b] = [await started({ portfolio_id: portfolio, phases: ['extract'] }), await started({ portfolio_id: portfolio })];
      await call('POST', `${RUN}/logs`, `${RUNS}/${a}/logs`, 201, { auth: service, body: { entries: entries(2) } });
      await call('POST', `${RUN}/finish`, `${RUNS}/${a}/finish`, 200, { auth: service, body: { status: 'completed' } });
      const T = `${ONE}/compare`;
      const res = (await call('GET', T, `${HISTORY}/${b}/compare?with=last_completed`, 200, { auth: admin })).json();
      expect(res.only_in_other).toHaveLength(2);
      await call('GET', T, `${HISTORY}/${b}/compare?with=${a}&limit=0`, 400, { auth: admin });
      await call('GET', T, `${HISTORY}/${b}/compare?with=${a}`, 401, {});
      await call('GET', T, `${HISTORY}/${b}/compare?with=${a}`, 403, { auth: service });
      await call('GET', T, `${HISTORY}/${a}/compare?with=last_completed`, 404, { auth: admin }); // no_comparable_run
    });
  });

  describe('search', () => {
    it('in a run, across runs, the owner\'s: 200; 400, 401, 403, 404', async () => {
      const portfolio = uuid();
      const run = await started({ portfolio_id: portfolio, owner_id: owner, phases: ['extract'] });
      await call('POST', `${RUN}/logs`, `${RUNS}/${run}/logs`, 201, { auth: service, body: { entries: [...entries(3), { level: 'error', message: '\u001b[31mdisk\u001b[0m full', seq: 4 }] } });
      const T = `${ONE}/logs/search`;
      const page = (await call('GET', T, `${HISTORY}/${run}/logs/search?q=line&context=1&limit=2`, 200, { auth: admin })).json();
      expect(page.total_matches).toBe(3);
      await call('GET', T, `${HISTORY}/${run}/logs/search?q=line&cursor=${page.next_cursor}`, 200, { auth: admin });
      await call('GET', T, `${HISTORY}/${run}/logs/search?q=disk%20full&regex=true`, 200, { auth: admin });
      await call('GET', T, `${HISTORY}/${run}/logs/search`, 400, { auth: admin });
      await call('GET', T, `${HISTORY}/${run}/logs/search?q=a(b&regex=true`, 400, { auth: admin });
      await call('GET', T, `${HISTORY}/${run}/logs/search?q=line`, 401, {});
      await call('GET', T, `${HISTORY}/${run}/logs/search?q=line`, 403, { auth: service });
      await call('GET', T, `${HISTORY}/no-such-run/logs/search?q=line`, 404, { auth: admin });
      const A = '/api/v1/admin/search';
      const runs = (await call('GET', A, `${A}?q=disk%20full&portfolio_id=${portfolio}`, 200, { auth: admin })).json();
      expect(runs.runs[0].first_matches[0].text).toBe('disk full');
      await call('GET', A, `${A}?q=line&limit=0`, 400, { auth: admin });
      await call('GET', A, `${A}?q=line`, 401, {});
      await call('GET', A, `${A}?q=line`, 403, { auth: service });
      const O = '/api/v1/onboarding/status/{portfolioId}/logs/search';
      await call('GET', O, `/api/v1/onboarding/status/${portfolio}/logs/search?q=line&batch_run_id=${run}`, 200, { auth: user });
      await call('GET', O, `/api/v1/onboarding/status/not-a-uuid/logs/search?q=line`, 400, { auth: user });
      await call('GET', O, `/api/v1/onboarding/status/${portfolio}/logs/search?q=line`, 401, {});
      await call('GET', O, `/api/v1/onboarding/status/${portfolio}/logs/search?q=line`, 403, { auth: service });
      await call('GET', O, `/api/v1/onboarding/status/${uuid()}/logs/search?q=line`, 404, { auth: user });
    });
  });

  describe('health', () => {
    it('/health, /health/live, /health/ready: 200 without a token', async () => {
      await call('GET', '/health', '/health', 200);
      await call('GET', '/health/live', '/health/live', 200);
      await call('GET', '/health/ready', '/health/ready', 200);
    });
  });

  describe('coverage', () => {
    it('called every documented route', () => {
      const called = new Set([...contract.seen].map((s) => s.split(' ').slice(0, 2).join(' ')));
      expect(contract.operations().filter((op) => !called.has(op))).toEqual([]);
    });

    it('saw every documented status of every route, but those listed as not provoked here', () => {
      expect(contract.documented().filter((s) => !contract.seen.has(s) && !NOT_PROVOKED.has(s))).toEqual([]);
    });
  });
});
