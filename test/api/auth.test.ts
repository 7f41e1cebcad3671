/**
 * Every route of the contract against every kind of caller: no token and bad tokens are 401, a role
 * not allowed is 403 (before any validation or lookup, and with no side effect), an allowed role gets
 * the route's success status. Ingestion: service, admin. Owner routes: user, admin. Admin routes: admin.
 */
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { Role } from '../../src/auth/principal';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { bearer, Ingest, uuid } from './api-helpers';

interface RouteCase {
  name: string;
  allowed: Role[];
  ok: number;
  call: (authorization?: string) => Promise<request.Response>;
}

describe('auth on every route', () => {
  let t: TestApp;
  let tokens: Record<Role, string>;
  let ingest: Ingest;
  const portfolio = uuid();
  let ownedRun: string;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    tokens = { admin: await bearer('admin', 'admin-1'), user: await bearer('user', 'user-1'), service: await bearer('service', 'svc-1') };
    ingest = new Ingest(t, tokens.admin);
    ownedRun = await ingest.start({ portfolio_id: portfolio, owner_id: 'user-1', phases: ['p'] });
    await ingest.append(ownedRun, [{ level: 'info', message: 'hello' }]);
    await ingest.finish(ownedRun, 'completed');
  });
  afterAll(async () => {
    await t?.orchestrator.idle();
    await t?.close();
  });

  const withAuth = (req: request.Test, authorization?: string) => (authorization === undefined ? req : req.set('Authorization', authorization));
  const post = (path: string, body: object, authorization?: string) => withAuth(request(t.baseUrl).post(path), authorization).send(body);
  const get = (path: string, authorization?: string) => withAuth(request(t.baseUrl).get(path), authorization);

  const routes: RouteCase[] = [
    { name: 'POST /api/v1/batch/runs', allowed: ['service', 'admin'], ok: 201, call: async (a) => post('/api/v1/batch/runs', {}, a) },
    {
      name: 'POST /api/v1/batch/runs/:id/logs',
      allowed: ['service', 'admin'],
      ok: 201,
      call: async (a) => post(`/api/v1/batch/runs/${await ingest.start()}/logs`, { entries: [{ level: 'info', message: 'x' }] }, a),
    },
    {
      name: 'POST /api/v1/batch/runs/:id/phases/:phase/complete',
      allowed: ['service', 'admin'],
      ok: 200,
      call: async (a) => post(`/api/v1/batch/runs/${await ingest.start({ phases: ['p'] })}/phases/p/complete`, {}, a),
    },
    {
      name: 'POST /api/v1/batch/runs/:id/finish',
      allowed: ['service', 'admin'],
      ok: 200,
      call: async (a) => post(`/api/v1/batch/runs/${await ingest.start()}/finish`, { status: 'completed' }, a),
    },
    { name: 'POST /api/v1/onboarding/:portfolioId/batch', allowed: ['user', 'admin'], ok: 202, call: async (a) => post(`/api/v1/onboarding/${uuid()}/batch`, {}, a) },
    { name: 'GET /api/v1/onboarding/status/:portfolioId', allowed: ['user', 'admin'], ok: 200, call: async (a) => get(`/api/v1/onboarding/status/${portfolio}`, a) },
    {
      name: 'GET /api/v1/onboarding/status/:portfolioId/logs',
      allowed: ['user', 'admin'],
      ok: 200,
      call: async (a) => get(`/api/v1/onboarding/status/${portfolio}/logs?format=json`, a),
    },
    { name: 'GET /api/v1/admin/batch/history', allowed: ['admin'], ok: 200, call: async (a) => get('/api/v1/admin/batch/history', a) },
    { name: 'GET /api/v1/admin/batch/history/:id', allowed: ['admin'], ok: 200, call: async (a) => get(`/api/v1/admin/batch/history/${ownedRun}`, a) },
    { name: 'GET /api/v1/admin/batch/history/:id/logs', allowed: ['admin'], ok: 200, call: async (a) => get(`/api/v1/admin/batch/history/${ownedRun}/logs`, a) },
    {
      name: 'GET /api/v1/admin/batch/history/:id/logs/count',
      allowed: ['admin'],
      ok: 200,
      call: async (a) => get(`/api/v1/admin/batch/history/${ownedRun}/logs/count`, a),
    },
  ];

  const raw = new JwtService({ secret: TEST_JWT_SECRET });
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const badTokens: Array<[string, () => Promise<string>]> = [
    ['no Authorization header', async () => undefined as unknown as string],
    ['another scheme (Basic)', async () => 'Basic YWRtaW46YWRtaW4='],
    ['"Bearer" with no token', async () => 'Bearer'],
    ['a token that is not a JWT', async () => 'Bearer not.a.jwt'],
    ['a token signed with another secret', async () => `Bearer ${await new JwtService({ secret: 'x'.repeat(40) }).signAsync({ sub: 'a', role: 'admin' })}`],
    ['an expired token', async () => `Bearer ${await raw.signAsync({ sub: 'a', role: 'admin', exp: nowSeconds() - 60 })}`],
    ['a token with an unknown role', async () => `Bearer ${await raw.signAsync({ sub: 'a', role: 'root' })}`],
    ['a token without sub', async () => `Bearer ${await raw.signAsync({ role: 'admin' })}`],
    [
      'an unsigned token (alg none)',
      async () => {
        const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'a', role: 'admin', exp: nowSeconds() + 600 })}.`;
      },
    ],
  ];

  describe.each(routes)('$name', (route) => {
    it.each(badTokens)('401 with %s', async (_, token) => {
      const res = await route.call(await token());
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401 });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it.each(['admin', 'user', 'service'] as Role[])('role %s', async (role) => {
      const res = await route.call(tokens[role]);
      if (route.allowed.includes(role)) {
        expect(res.status).toBe(route.ok);
      } else {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      }
    });
  });

  it('checks the token before the body: no token with an invalid body is 401, a wrong role 403, not 400', async () => {
    expect((await post('/api/v1/batch/runs', { batch_run_id: 'bad id', colour: 'red' })).status).toBe(401);
    expect((await post('/api/v1/batch/runs', { batch_run_id: 'bad id', colour: 'red' }, tokens.user)).status).toBe(403);
    expect((await get('/api/v1/admin/batch/history?limit=0', tokens.service)).status).toBe(403);
    expect((await get('/api/v1/onboarding/status/not-a-uuid', tokens.service)).status).toBe(403);
  });

  it('a refused request has no effect: a user cannot start, append to or finish a run', async () => {
    expect((await post('/api/v1/batch/runs', { batch_run_id: 'by-user' }, tokens.user)).status).toBe(403);
    expect((await get('/api/v1/admin/batch/history/by-user', tokens.admin)).status).toBe(404);
    const id = await ingest.start();
    expect((await post(`/api/v1/batch/runs/${id}/logs`, { entries: [{ level: 'info', message: 'x' }] }, tokens.user)).status).toBe(403);
    expect((await post(`/api/v1/batch/runs/${id}/finish`, { status: 'failed' }, tokens.user)).status).toBe(403);
    const run = await get(`/api/v1/admin/batch/history/${id}`, tokens.admin);
    expect(run.body).toMatchObject({ status: 'running', log_entry_count: 0 });
  });

  it('a service token cannot trigger onboarding: nothing is started', async () => {
    const p = uuid();
    expect((await post(`/api/v1/onboarding/${p}/batch`, {}, tokens.service)).status).toBe(403);
    expect((await get(`/api/v1/admin/batch/history?portfolio_id=${p}`, tokens.admin)).body.runs).toEqual([]);
  });

  it('health and the API docs need no token', async () => {
    expect((await get('/health')).status).toBe(200);
    expect((await get('/api/docs-json')).status).toBe(200);
    expect((await get('/api/docs/')).status).toBe(200);
  });
});
