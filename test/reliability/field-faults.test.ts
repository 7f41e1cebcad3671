/**
 * Faults found in the field (issue #10 §5), each a 4xx and never a 5xx, one describe per fault:
 * impossible dates in a list cursor, concurrent onboarding starts, tokens without a bounded lifetime,
 * bodies read before authentication, run ids that browsers rewrite, inconsistent optional fields and
 * number formats, and missing security headers. All against the real app over real HTTP.
 */
import { JwtService } from '@nestjs/jwt';
import { createHmac, randomUUID } from 'crypto';
import * as http from 'http';
import * as net from 'net';
import request from 'supertest';
import { TokenService } from '../../src/auth/token.service';
import { loadConfig } from '../../src/config/app.config';
import { startTestApp, TEST_JWT_SECRET, TestApp, tokenFor } from '../support/test-app';

jest.setTimeout(90_000);

const HISTORY = '/api/v1/admin/batch/history';
const RUNS = '/api/v1/batch/runs';
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** An HS256 JWT of any payload, even one jsonwebtoken would not sign (exp or iat as text). */
const forge = (payload: object) => {
  const unsigned = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
};

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request sent exactly as written (no normalisation of the path or the query string). */
function raw(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path}: no answer within 15 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

describe('field faults (issue #10 §5)', () => {
  let t: TestApp;
  let admin: string;
  let service: string;

  beforeAll(async () => {
    t = await startTestApp({
      listen: true,
      // The onboarding batch must outlast 20 concurrent triggers; the rate limit is not under test here.
      env: { DEMO_BATCH_SECONDS: '4', RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000', RUN_LEASE_SECONDS: '3600' },
    });
    admin = `Bearer ${await tokenFor('admin')}`;
    service = `Bearer ${await tokenFor('service')}`;
  });
  afterAll(async () => {
    await t?.orchestrator.idle();
    await t?.close();
  });

  const get = (path: string, authorization = admin) => raw(t.baseUrl, 'GET', path, { Authorization: authorization });
  const post = (path: string, body: unknown, authorization = service) =>
    request(t.baseUrl).post(path).set('Authorization', authorization).send(body as object);

  async function tableCounts(): Promise<string> {
    const { rows } = await t.pool.query(
      `SELECT (SELECT count(*) FROM batch_run_events)::int AS events, (SELECT count(*) FROM batch_run_log_entries)::int AS entries,
              (SELECT count(*) FROM batch_run_history)::int AS runs`,
    );
    return JSON.stringify(rows[0]);
  }

  // -------------------------------------------------------------------------------------------
  describe('1. a list cursor holding an impossible date', () => {
    it.each([
      ['February 30th', '2026-02-30T00:00:00.000Z'],
      ['February 29th of a common year', '2026-02-29T00:00:00.000Z'],
      ['April 31st', '2026-04-31T12:00:00.000Z'],
      ['hour 24', '2026-01-01T24:00:00.000Z'],
      ['month 13', '2026-13-01T00:00:00.000Z'],
    ])('%s is a 400 naming the cursor, not a 500', async (_, startedAt) => {
      const res = await get(`${HISTORY}?cursor=${b64url([startedAt, 'x'])}`);
      expect({ status: res.status, message: JSON.parse(res.body).message }).toEqual({
        status: 400,
        message: 'cursor is invalid: pass next_cursor from a previous page',
      });
    });

    it('a cursor the server wrote still pages (February 28th and a leap day are real dates)', async () => {
      for (const startedAt of ['2026-02-28T23:59:59.999Z', '2028-02-29T00:00:00.000Z']) {
        const res = await get(`${HISTORY}?cursor=${b64url([startedAt, 'x'])}`);
        expect(res.status).toBe(200);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('2. concurrent onboarding starts of one portfolio', () => {
    // The batches these start write for a few seconds: let them finish before the row counts below.
    afterAll(async () => t.orchestrator.idle());

    const trigger = (portfolio: string, authorization: string) =>
      raw(t.baseUrl, 'POST', `/api/v1/onboarding/${portfolio}/batch`, { Authorization: authorization });

    async function runningOf(portfolio: string): Promise<number> {
      const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_history WHERE portfolio_id = $1 AND status = 'running'`, [portfolio]);
      return rows[0].n;
    }

    it('20 concurrent starts: exactly one 202, 19 409 with a code, one running run in the database', async () => {
      const portfolio = randomUUID();
      const alice = `Bearer ${await tokenFor('user', 'alice')}`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => trigger(portfolio, alice)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([202, ...Array(19).fill(409)]);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(JSON.parse(refused.body)).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringContaining(portfolio) });
      }
      expect(await runningOf(portfolio)).toBe(1);
      const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM batch_run_history WHERE portfolio_id = $1`, [portfolio]);
      expect(rows[0].n).toBe(1);

      // Another user (or an admin) onboarding the same portfolio meanwhile is refused too: the rule is per portfolio.
      const bob = await trigger(portfolio, `Bearer ${await tokenFor('user', 'bob')}`);
      expect(bob.status).toBe(409);
      expect(JSON.parse(bob.body)).toMatchObject({ code: 'portfolio_onboarding' });
      expect((await trigger(portfolio, admin)).status).toBe(409);
      expect(await runningOf(portfolio)).toBe(1);
    });

    it('the other commands of a group are not failed by a refused start', async () => {
      const portfolio = randomUUID();
      const alice = `Bearer ${await tokenFor('user', 'alice')}`;
      const ids = Array.from({ length: 10 }, (_, i) => `ff-group-${portfolio.slice(0, 8)}-${i}`);
      const [onboardings, producers] = await Promise.all([
        Promise.all(Array.from({ length: 10 }, () => trigger(portfolio, alice))),
        Promise.all(ids.map((batch_run_id) => post(RUNS, { batch_run_id }))),
      ]);
      expect(onboardings.map((a) => a.status).sort()).toEqual([202, ...Array(9).fill(409)]);
      expect(producers.map((p) => p.status)).toEqual(Array(10).fill(201));
    });

    it('HTTP producers may still run several runs of one portfolio at once', async () => {
      const portfolio = randomUUID();
      const started = await Promise.all(Array.from({ length: 5 }, () => post(RUNS, { portfolio_id: portfolio })));
      expect(started.map((s) => s.status)).toEqual(Array(5).fill(201));
      expect(await runningOf(portfolio)).toBe(5);
    });

    it('once the onboarding run has finished, the portfolio can be onboarded again', async () => {
      const portfolio = randomUUID();
      const alice = `Bearer ${await tokenFor('user', 'alice')}`;
      expect((await trigger(portfolio, alice)).status).toBe(202);
      await t.orchestrator.idle();
      expect(await runningOf(portfolio)).toBe(0);
      expect((await trigger(portfolio, alice)).status).toBe(202);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('3. a token must expire, within AUTH_MAX_TOKEN_TTL', () => {
    const signer = new JwtService({ secret: TEST_JWT_SECRET });
    const claims = { sub: 'admin-1', role: 'admin' };
    const day = 86_400;

    it.each([
      ['no exp', () => ({ ...claims })],
      ['exp 1e300', () => ({ ...claims, exp: 1e300 })],
      ['exp a day and a minute after iat', () => ({ ...claims, iat: nowSeconds(), exp: nowSeconds() + day + 60 })],
      ['no iat, exp a day and a minute from now', () => ({ ...claims, exp: nowSeconds() + day + 60 })],
      ['iat far in the past, exp soon', () => ({ ...claims, iat: nowSeconds() - 30 * day, exp: nowSeconds() + 60 })],
      ['iat in the future, a short span, but exp far ahead', () => ({ ...claims, iat: nowSeconds() + 10 * day, exp: nowSeconds() + 10 * day + 60 })],
      ['exp a string', () => ({ ...claims, exp: String(nowSeconds() + 60) })],
      ['iat a string', () => ({ ...claims, iat: String(nowSeconds()), exp: nowSeconds() + 60 })],
    ])('%s is a 401 invalid token', async (_, payload) => {
      const res = await get(HISTORY, `Bearer ${forge(payload())}`);
      expect({ status: res.status, message: JSON.parse(res.body).message, auth: res.headers['www-authenticate'] }).toEqual({
        status: 401,
        message: 'invalid token',
        auth: 'Bearer error="invalid_token"',
      });
    });

    it.each([
      ['exactly a day after iat', () => ({ ...claims, iat: nowSeconds(), exp: nowSeconds() + day })],
      ['no iat, exp an hour from now', () => ({ ...claims, exp: nowSeconds() + 3600 })],
      ['iat a few seconds ahead (clock skew), a day long', () => ({ ...claims, iat: nowSeconds() + 5, exp: nowSeconds() + 5 + day })],
    ])('%s is accepted', async (_, payload) => {
      const res = await get(HISTORY, `Bearer ${forge(payload())}`);
      expect(res.status).toBe(200);
    });

    it('the test and console tokens (1 h, 12 h) are within the default bound', async () => {
      expect(loadConfig({}).authMaxTokenTtl).toBe(day);
      for (const ttl of ['1h', '12h', day]) expect((await get(HISTORY, `Bearer ${await tokenFor('admin', 'admin-1', ttl)}`)).status).toBe(200);
    });

    it('AUTH_MAX_TOKEN_TTL sets the bound, and the issuer refuses to sign past it', async () => {
      const config = loadConfig({ AUTH_MAX_TOKEN_TTL: '600' });
      expect(config.authMaxTokenTtl).toBe(600);
      for (const bad of ['0', '-5', '1.5', 'day']) expect(() => loadConfig({ AUTH_MAX_TOKEN_TTL: bad })).toThrow(/AUTH_MAX_TOKEN_TTL/);
      const tokens = new TokenService(signer, { maxTtlSeconds: config.authMaxTokenTtl });
      await expect(tokens.verify(await tokenFor('admin', 'admin-1', 600))).resolves.toEqual({ sub: 'admin-1', role: 'admin' });
      await expect(tokens.verify(await tokenFor('admin', 'admin-1', '1h'))).rejects.toMatchObject({ reason: 'invalid' });
      await expect(tokens.issue({ sub: 'a', role: 'admin', ttl: '1h' })).rejects.toThrow(/AUTH_MAX_TOKEN_TTL/);
      await expect(tokens.issue({ sub: 'a', role: 'admin', ttl: 600 })).resolves.toEqual(expect.any(String));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('4. a request without a valid token is answered 401 before its body is read', () => {
    interface Exchange {
      head: string;
      answeredMs: number;
      closedMs: number | null;
    }

    /** Sends the head of a request that announces a body, never sends the body, and waits for the answer and the close. */
    function headersOnly(path: string, headers: string[]): Promise<Exchange> {
      const { port } = new URL(t.baseUrl);
      return new Promise((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1');
        const sent = Date.now();
        let text = '';
        let answeredMs = -1;
        const finish = (closedMs: number | null) => {
          clearTimeout(timer);
          socket.destroy();
          resolve({ head: text.split('\r\n\r\n')[0], answeredMs, closedMs });
        };
        const timer = setTimeout(() => finish(null), 5_000);
        socket.on('data', (chunk) => {
          if (answeredMs < 0) answeredMs = Date.now() - sent;
          text += chunk.toString('latin1');
        });
        socket.on('end', () => finish(Date.now() - sent));
        socket.on('error', () => finish(Date.now() - sent));
        socket.write([`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', ...headers, '', ''].join('\r\n'));
      });
    }

    const cases: Array<[string, string, string[]]> = [
      ['start, no token, 4 MiB announced', RUNS, ['Content-Length: 4194304']],
      ['start, no token, 100 MiB announced', RUNS, ['Content-Length: 104857600']],
      ['append, a garbage token, 4 MiB announced', `${RUNS}/some-run/logs`, ['Authorization: Bearer garbage', 'Content-Length: 4194304']],
      ['append, no token, chunked', `${RUNS}/some-run/logs`, ['Transfer-Encoding: chunked']],
      ['onboarding, an expired token, 1 MiB announced', `/api/v1/onboarding/${randomUUID()}/batch`, ['Content-Length: 1048576']],
    ];

    it.each(cases)('%s: 401 at once, then the connection is closed', async (_, path, headers) => {
      const before = await tableCounts();
      const expired = `Authorization: Bearer ${await new JwtService({ secret: TEST_JWT_SECRET }).signAsync({ sub: 'u', role: 'user', exp: nowSeconds() - 5 })}`;
      const exchange = await headersOnly(path, path.includes('onboarding') ? [expired, ...headers] : headers);
      expect(exchange.head).toMatch(/^HTTP\/1\.1 401 /);
      expect(exchange.head).toMatch(/\r\nwww-authenticate: Bearer/i);
      expect(exchange.head).toMatch(/\r\nconnection: close/i);
      expect(exchange.answeredMs).toBeGreaterThanOrEqual(0);
      expect(exchange.answeredMs).toBeLessThan(2_000);
      expect(exchange.closedMs).not.toBeNull();
      expect(exchange.closedMs!).toBeLessThan(3_000);
      expect(await tableCounts()).toBe(before);
    });

    it('authenticated requests still get 413 past 5 MiB, 415 for a body that is not JSON, 400 for broken JSON, 201 for a good one', async () => {
      const huge = JSON.stringify({ entries: [{ level: 'info', message: 'x'.repeat(6 * 1024 * 1024) }] });
      const tooLarge = await raw(t.baseUrl, 'POST', `${RUNS}/some-run/logs`, { Authorization: service, 'Content-Type': 'application/json' }, huge);
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body)).toMatchObject({ statusCode: 413, message: 'request body exceeds the limit of 5242880 bytes' });
      const form = await raw(t.baseUrl, 'POST', RUNS, { Authorization: service, 'Content-Type': 'application/x-www-form-urlencoded' }, 'batch_run_id=x');
      expect(form.status).toBe(415);
      const broken = await raw(t.baseUrl, 'POST', RUNS, { Authorization: service, 'Content-Type': 'application/json' }, '{"batch_run_id":');
      expect(broken.status).toBe(400);
      const good = await raw(t.baseUrl, 'POST', RUNS, { Authorization: service, 'Content-Type': 'application/json' }, JSON.stringify({ batch_run_id: 'ff-body-ok' }));
      expect(good.status).toBe(201);
      const empty = await raw(t.baseUrl, 'POST', RUNS, { Authorization: service });
      expect(empty.status).toBe(201);
    });

    it('a valid token of the wrong role is refused (403) before the body is read, too', async () => {
      const user = `Authorization: Bearer ${await tokenFor('user', 'alice')}`;
      const exchange = await headersOnly(RUNS, [user, 'Content-Length: 4194304']);
      expect(exchange.head).toMatch(/^HTTP\/1\.1 403 /);
      expect(exchange.answeredMs).toBeLessThan(2_000);
      expect(exchange.closedMs).not.toBeNull();
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('5. run ids "." and ".." (browsers and fetch rewrite them) are refused at start', () => {
    it.each(['.', '..'])('%j is a 400 naming batch_run_id, and nothing is stored', async (id) => {
      const before = await tableCounts();
      const res = await post(RUNS, { batch_run_id: id });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('batch_run_id');
      expect(await tableCounts()).toBe(before);
    });

    it('ids with dots that are not a whole dot segment are still accepted', async () => {
      for (const id of ['...', '.hidden', 'a.b', 'run..2']) expect((await post(RUNS, { batch_run_id: `${id}` })).status).toBe(201);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('6. null is "not given", timestamps carry an offset, integer query parameters are decimal digits', () => {
    it('null in every optional field of every body is "not given"', async () => {
      const started = await post(RUNS, { batch_run_id: null, portfolio_id: null, owner_id: null, total_jobs: null, phases: null });
      expect(started.status).toBe(201);
      const id: string = started.body.batch_run_id;
      expect(id).toMatch(/^batch_/);
      const appended = await post(`${RUNS}/${id}/logs`, {
        entries: [
          { level: 'info', message: 'one', seq: null, timestamp: null, phase: null },
          { level: 'info', message: 'two', seq: null },
          { level: 'info', message: 'three', timestamp: null },
        ],
      });
      expect({ status: appended.status, body: appended.body }).toEqual({ status: 201, body: { appended: 3, last_seq: 3 } });
      const completed = await post(`${RUNS}/${id}/phases/Load/complete`, { completed_jobs: null, failed_jobs: null, status: null });
      expect(completed.status).toBe(200);
      expect(completed.body).toMatchObject({ completed_jobs: 0, failed_jobs: 0 });
      const finished = await post(`${RUNS}/${id}/finish`, { status: 'completed', completed_jobs: null, failed_jobs: null });
      expect(finished.status).toBe(200);
      const log = JSON.parse((await get(`${HISTORY}/${id}/logs`)).body);
      expect(log.entries.map((e: { seq: number; message: string }) => [e.seq, e.message])).toEqual([[1, 'one'], [2, 'two'], [3, 'three']]);
      expect(log.entries.every((e: { timestamp: string }) => /Z$/.test(e.timestamp))).toBe(true);
    });

    it('a required field is still required: null is not a status or a level', async () => {
      const id = (await post(RUNS, {})).body.batch_run_id;
      expect((await post(`${RUNS}/${id}/finish`, { status: null })).status).toBe(400);
      expect((await post(`${RUNS}/${id}/logs`, { entries: [{ level: null, message: 'x' }] })).status).toBe(400);
      expect((await post(`${RUNS}/${id}/logs`, { entries: null })).status).toBe(400);
    });

    it.each([
      ['no offset', '2026-01-11T14:07:11'],
      ['no offset, with milliseconds', '2026-01-11T14:07:11.123'],
      ['a date without a time', '2026-01-11'],
      ['an offset without a colon', '2026-01-11T14:07:11+0100'],
      ['an hour-only offset', '2026-01-11T14:07:11+01'],
    ])('an entry timestamp with %s is a 400 naming the field', async (_, timestamp) => {
      const id = (await post(RUNS, {})).body.batch_run_id;
      const res = await post(`${RUNS}/${id}/logs`, { entries: [{ level: 'info', message: 'ok' }, { level: 'info', message: 'x', timestamp }] });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('entries.1.timestamp must be a date-time with an offset (Z or ±hh:mm)');
    });

    it('timestamps with Z or ±hh:mm are stored in UTC', async () => {
      const id = (await post(RUNS, {})).body.batch_run_id;
      const res = await post(`${RUNS}/${id}/logs`, {
        entries: [
          { level: 'info', message: 'z', timestamp: '2026-01-11T14:07:11Z' },
          { level: 'info', message: 'plus', timestamp: '2026-01-11T14:07:11.5+01:00' },
          { level: 'info', message: 'minus', timestamp: '2026-01-11T14:07:11-02:30' },
        ],
      });
      expect(res.status).toBe(201);
      const log = JSON.parse((await get(`${HISTORY}/${id}/logs`)).body);
      expect(log.entries.map((e: { timestamp: string }) => e.timestamp)).toEqual(['2026-01-11T14:07:11.000Z', '2026-01-11T13:07:11.500Z', '2026-01-11T16:37:11.000Z']);
    });

    it("the timeline's ?at= needs an offset too", async () => {
      const id = (await post(RUNS, {})).body.batch_run_id;
      const bad = await get(`${HISTORY}/${id}/timeline?at=2026-01-11T14:07:13`);
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('at must be a date-time with an offset');
      expect((await get(`${HISTORY}/${id}/timeline?at=2026-01-11T14:07:13Z`)).status).toBe(200);
      expect((await get(`${HISTORY}/${id}/timeline?at=2026-01-11T14:07:13%2B01:00`)).status).toBe(200);
    });

    it.each([
      ['after_seq', 'after_seq=0x10'],
      ['after_seq', 'after_seq='],
      ['after_seq', 'after_seq=1e3'],
      ['after_seq', 'after_seq=-0'],
      ['limit', 'limit=%205'],
      ['limit', 'limit=5%20'],
      ['limit', 'limit=%2B5'],
      ['limit', 'limit=5.0'],
      ['limit', 'limit=0b11'],
      ['limit', 'limit=Infinity'],
    ])('a log download with %s not in decimal digits (%s) is a 400 naming it', async (field, query) => {
      const id = (await post(RUNS, {})).body.batch_run_id;
      const res = await get(`${HISTORY}/${id}/logs?${query}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(JSON.parse(res.body).message)).toContain(`${field} must be an integer written in decimal digits`);
    });

    it.each(['limit=0x10', 'limit=%2010', 'limit=', 'limit=1e1'])('the run list with %s is a 400 naming limit', async (query) => {
      const res = await get(`${HISTORY}?${query}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(JSON.parse(res.body).message)).toContain('limit must be an integer written in decimal digits');
    });

    it('decimal digits (leading zeros too) are read as before', async () => {
      const id = (await post(RUNS, {})).body.batch_run_id;
      await post(`${RUNS}/${id}/logs`, { entries: Array.from({ length: 5 }, (_, i) => ({ level: 'info', message: `m${i}` })) });
      const log = JSON.parse((await get(`${HISTORY}/${id}/logs?after_seq=02&limit=002`)).body);
      expect(log.entries.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
      expect((await get(`${HISTORY}?limit=10`)).status).toBe(200);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('7. security headers', () => {
    it('every response says X-Content-Type-Options: nosniff, errors that echo input included', async () => {
      const answers = [
        await get(`${HISTORY}/${encodeURIComponent('<script>alert(1)</script>')}`),
        await get(`${HISTORY}?status=%3Cimg%20src%3Dx%3E`),
        await raw(t.baseUrl, 'GET', '/health'),
        await raw(t.baseUrl, 'GET', '/no/such/route'),
        await raw(t.baseUrl, 'GET', HISTORY),
        await raw(t.baseUrl, 'GET', '/api/docs-json'),
        await raw(t.baseUrl, 'GET', '/admin/nope.js'),
      ];
      for (const res of answers) expect({ status: res.status, nosniff: res.headers['x-content-type-options'] }).toEqual({ status: res.status, nosniff: 'nosniff' });
      expect(answers[0].status).toBe(400);
      expect(answers[1].status).toBe(400);
    });

    it('/api/docs and its assets carry a Content-Security-Policy that allows only its own origin, and refuse framing', async () => {
      const page = await raw(t.baseUrl, 'GET', '/api/docs');
      expect(page.status).toBe(200);
      for (const path of ['/api/docs', '/api/docs/', '/api/docs/swagger-ui-init.js', '/api/docs/swagger-ui-bundle.js']) {
        const res = await raw(t.baseUrl, 'GET', path);
        expect(res.status).toBeLessThan(400);
        const csp = res.headers['content-security-policy'] ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('upgrade-insecure-requests'); // runlog serves plain HTTP on its own
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
      // Every script the page loads is a file of its own origin (none inline, none from elsewhere).
      const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, inline] of scripts) {
        expect(attrs).toMatch(/src="\.?\/?[^":]+"|src='\.?\/?[^':]+'/);
        expect(inline.trim()).toBe('');
      }
    });

    it('the admin console keeps its own strict policy and refuses framing', async () => {
      const res = await raw(t.baseUrl, 'GET', '/admin');
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
    });

    it('API answers refuse framing and any active content', async () => {
      const res = await get(HISTORY);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    });
  });
});
