/**
 * Hostile tokens against the real app, on every route: forged, expired, malformed and ill-claimed
 * tokens are a 401 with WWW-Authenticate (RFC 6750), a valid token of a role the route does not allow
 * is a 403, and a refused write stores nothing. The auth rule comes before validation: a 401/403 is
 * answered whatever the body holds.
 */
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, TEST_JWT_SECRET, TestApp, tokenFor } from '../support/test-app';

const PORTFOLIO = '5d9c1f7e-2a4b-4c3d-8e6f-0a1b2c3d4e5f';
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

interface Route {
  name: string;
  method: 'get' | 'post';
  path: string;
  body?: object;
  /** The roles the route lets in. */
  roles: Array<'admin' | 'service' | 'user'>;
}

const ROUTES: Route[] = [
  { name: 'start run', method: 'post', path: '/api/v1/batch/runs', body: { batch_run_id: 'tok-new' }, roles: ['service', 'admin'] },
  { name: 'append', method: 'post', path: '/api/v1/batch/runs/tok-open/logs', body: { entries: [{ level: 'info', message: 'x' }] }, roles: ['service', 'admin'] },
  { name: 'complete phase', method: 'post', path: '/api/v1/batch/runs/tok-open/phases/Load/complete', body: {}, roles: ['service', 'admin'] },
  { name: 'finish', method: 'post', path: '/api/v1/batch/runs/tok-open/finish', body: { status: 'completed' }, roles: ['service', 'admin'] },
  { name: 'onboarding trigger', method: 'post', path: `/api/v1/onboarding/${PORTFOLIO}/batch`, roles: ['user', 'admin'] },
  { name: 'onboarding status', method: 'get', path: `/api/v1/onboarding/status/${PORTFOLIO}`, roles: ['user', 'admin'] },
  { name: 'onboarding logs', method: 'get', path: `/api/v1/onboarding/status/${PORTFOLIO}/logs`, roles: ['user', 'admin'] },
  { name: 'admin history', method: 'get', path: '/api/v1/admin/batch/history', roles: ['admin'] },
  { name: 'admin details', method: 'get', path: '/api/v1/admin/batch/history/tok-done', roles: ['admin'] },
  { name: 'admin logs', method: 'get', path: '/api/v1/admin/batch/history/tok-done/logs', roles: ['admin'] },
  { name: 'admin logs count', method: 'get', path: '/api/v1/admin/batch/history/tok-done/logs/count', roles: ['admin'] },
  { name: 'admin timeline', method: 'get', path: '/api/v1/admin/batch/history/tok-done/timeline', roles: ['admin'] },
  { name: 'admin events (SSE)', method: 'get', path: '/api/v1/admin/batch/history/tok-done/events', roles: ['admin'] },
];

describe('tokens (real app, every route)', () => {
  let t: TestApp;
  /** Signs any payload with any options: tokens TokenService would never issue. */
  const right = new JwtService({ secret: TEST_JWT_SECRET });
  const wrong = new JwtService({ secret: 'another-secret-of-the-same-length-0123456789abcdef' });

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000' } });
    const run = (command: object) => t.commandBus.execute(command as never);
    await run(new StartBatchRunCommand({ batchRunId: 'tok-open', portfolioId: PORTFOLIO, ownerId: 'user-1', phases: ['Load'] }));
    await run(new StartBatchRunCommand({ batchRunId: 'tok-done', portfolioId: PORTFOLIO, ownerId: 'user-1', phases: ['Load'] }));
    await run(new AppendLogEntriesCommand({ batchRunId: 'tok-done', entries: [{ level: 'info', message: 'done', phase: 'Load' }] }));
    await run(new FinishBatchRunCommand({ batchRunId: 'tok-done', status: 'completed' }));
  });
  afterAll(async () => t?.close());

  async function counts(): Promise<string> {
    const { rows } = await t.pool.query(
      `SELECT (SELECT count(*) FROM batch_run_events)::int AS events, (SELECT count(*) FROM batch_run_log_entries)::int AS entries,
              (SELECT count(*) FROM batch_run_history)::int AS runs`,
    );
    return JSON.stringify(rows[0]);
  }

  function call(route: Route, authorization: string | undefined) {
    let req = request(t.baseUrl)[route.method](route.path).timeout(10_000);
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    return route.body ? req.send(route.body) : req;
  }

  /** Each bad credential: the Authorization header sent, and the 401 message the guard answers. */
  async function badCredentials(): Promise<Array<[string, string | undefined, string]>> {
    const exp = now() + 3600;
    const claims = { sub: 'admin-1', role: 'admin' };
    const valid = await tokenFor('admin');
    const [header, payload] = valid.split('.');
    return [
      ['no Authorization header', undefined, 'missing bearer token'],
      ['another scheme (Basic)', 'Basic YWRtaW46YWRtaW4=', 'missing bearer token'],
      ['"Bearer" without a token', 'Bearer', 'missing bearer token'],
      ['alg none, no signature', `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, exp })}.`, 'invalid token'],
      ['alg none, with the real signature kept', `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.${valid.split('.')[2]}`, 'invalid token'],
      ['signed with another secret', `Bearer ${await wrong.signAsync(claims, { expiresIn: '1h' })}`, 'invalid token'],
      ['signed with the right secret but HS512', `Bearer ${await right.signAsync(claims, { algorithm: 'HS512', expiresIn: '1h' })}`, 'invalid token'],
      ['payload changed after signing (role user -> admin)', `Bearer ${(await tokenFor('user')).split('.')[0]}.${b64url({ sub: 'user-1', role: 'admin', exp })}.${(await tokenFor('user')).split('.')[2]}`, 'invalid token'],
      ['expired a second ago', `Bearer ${await right.signAsync({ ...claims, exp: now() - 1 })}`, 'token expired'],
      ['exp in the far past (1970)', `Bearer ${await right.signAsync({ ...claims, exp: 1 })}`, 'token expired'],
      ['nbf in the future', `Bearer ${await right.signAsync({ ...claims, exp, nbf: now() + 3600 })}`, 'invalid token'],
      ['missing sub', `Bearer ${await right.signAsync({ role: 'admin' }, { expiresIn: '1h' })}`, 'invalid token'],
      ['empty sub', `Bearer ${await right.signAsync({ sub: '  ', role: 'admin' }, { expiresIn: '1h' })}`, 'invalid token'],
      ['sub not a string', `Bearer ${await right.signAsync({ sub: 42, role: 'admin' }, { expiresIn: '1h' })}`, 'invalid token'],
      ['missing role', `Bearer ${await right.signAsync({ sub: 'admin-1' }, { expiresIn: '1h' })}`, 'invalid token'],
      ['unknown role', `Bearer ${await right.signAsync({ sub: 'admin-1', role: 'superuser' }, { expiresIn: '1h' })}`, 'invalid token'],
      ['role in another case', `Bearer ${await right.signAsync({ sub: 'admin-1', role: 'Admin' }, { expiresIn: '1h' })}`, 'invalid token'],
      ['role as a list', `Bearer ${await right.signAsync({ sub: 'admin-1', role: ['admin'] }, { expiresIn: '1h' })}`, 'invalid token'],
      ['not a JWT', 'Bearer not-a-jwt', 'invalid token'],
      ['three dots of garbage', 'Bearer a.b.c', 'invalid token'],
      ['a JWT cut short', `Bearer ${valid.slice(0, -10)}`, 'invalid token'],
      ['header not JSON', `Bearer ${Buffer.from('{not json').toString('base64url')}.${payload}.${valid.split('.')[2]}`, 'invalid token'],
      ['two tokens', `Bearer ${valid} ${valid}`, 'invalid token'],
      ['header of the valid token only', `Bearer ${header}`, 'invalid token'],
    ];
  }

  it('every bad credential is a 401 with WWW-Authenticate on every route, and a refused write stores nothing', async () => {
    const before = await counts();
    const seen: string[] = [];
    for (const [what, authorization, message] of await badCredentials()) {
      for (const route of ROUTES) {
        const res = await call(route, authorization);
        const got = { status: res.status, message: res.body?.message, wwwAuthenticate: res.headers['www-authenticate'] };
        expect({ what, route: route.name, ...got }).toEqual({
          what,
          route: route.name,
          status: 401,
          message,
          wwwAuthenticate: message === 'missing bearer token' ? 'Bearer' : 'Bearer error="invalid_token"',
        });
        seen.push(`${what} ${route.name}`);
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(24 * ROUTES.length);
    expect(await counts()).toBe(before);
  });

  it('a valid token of a role the route does not allow is a 403 (no WWW-Authenticate), whatever the body, and stores nothing', async () => {
    const before = await counts();
    for (const role of ['user', 'service', 'admin'] as const) {
      const authorization = `Bearer ${await tokenFor(role, role === 'user' ? 'user-1' : undefined)}`;
      for (const route of ROUTES.filter((r) => !r.roles.includes(role))) {
        for (const body of [route.body, { garbage: true }, undefined]) {
          const res = await call({ ...route, body }, authorization);
          expect({ role, route: route.name, status: res.status, message: res.body?.message }).toEqual({
            role,
            route: route.name,
            status: 403,
            message: `requires role ${route.roles.join(' or ')}; the token has role ${role}`,
          });
          expect(res.headers['www-authenticate']).toBeUndefined();
        }
      }
    }
    // Concretely, the cases the issue names:
    const user = `Bearer ${await tokenFor('user', 'user-1')}`;
    const service = `Bearer ${await tokenFor('service')}`;
    expect((await call(ROUTES[1], user)).status).toBe(403); // a user token on ingestion
    expect((await call(ROUTES[7], user)).status).toBe(403); // a user token on admin routes
    expect((await call(ROUTES[9], service)).status).toBe(403); // a service token on admin routes
    expect(await counts()).toBe(before);
  });

  it('the roles a route allows get past auth (the refusals above are not a route that refuses everyone)', async () => {
    for (const route of ROUTES.filter((r) => r.method === 'get')) {
      for (const role of route.roles) {
        const res = await call(route, `Bearer ${await tokenFor(role, role === 'user' ? 'user-1' : undefined)}`);
        expect({ route: route.name, role, status: res.status }).toEqual({ route: route.name, role, status: 200 });
      }
    }
    const appended = await call(ROUTES[1], `Bearer ${await tokenFor('service')}`);
    expect(appended.status).toBe(201);
  });

  it('tokens from the issuer, bearer in any case and surrounding spaces are accepted', async () => {
    const token = await tokenFor('admin', 'admin-7', 60);
    for (const authorization of [`Bearer ${token}`, `bearer ${token}`, `BEARER   ${token}  `]) {
      const res = await call(ROUTES[7], authorization);
      expect(res.status).toBe(200);
    }
  });
});
