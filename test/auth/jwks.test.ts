/**
 * Tokens of an identity provider (issue #15): a real runlog app, configured with only AUTH_JWKS_URL,
 * AUTH_ISSUER and AUTH_AUDIENCE (and a role map), against a real JWKS endpoint on 127.0.0.1 whose keys
 * the test makes with node's crypto. Accepted tokens, refused ones, key rotation, the JWKS down.
 */
import { spawn } from 'child_process';
import { randomUUID } from 'crypto';
import * as path from 'path';
import request from 'supertest';
import { loadConfig } from '../../src/config/app.config';
import { findFreePort } from '../../src/common/free-port';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';
import { followWithEventSource } from '../support/event-source-client';
import { FakeProvider, hs256WithPublicKey, makeKey, unsigned } from '../support/jwks-provider';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { RunlogClient } = require('../../clients/node') as typeof import('../../clients/node/src');

const HISTORY = '/api/v1/admin/batch/history';
const CLI = path.join(__dirname, '..', '..', 'clients', 'node', 'bin', 'runlog.js');
const ROLE_MAP = { 'runlog-admins': 'admin', 'runlog-users': 'user', 'nightly-jobs': 'service' };
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `runlog` CLI as a person runs it: a child process with RUNLOG_URL and RUNLOG_TOKEN in its environment. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Env for an app that trusts `provider`: groups mapped to roles, a 1 s cooldown so rotation is quick to test. */
function providerEnv(provider: FakeProvider, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_JWKS_URL: provider.jwksUrl,
    AUTH_ISSUER: provider.issuer,
    AUTH_AUDIENCE: provider.audience,
    AUTH_ROLE_CLAIM: 'groups',
    AUTH_ROLE_MAP: JSON.stringify(ROLE_MAP),
    AUTH_JWKS_COOLDOWN_SECONDS: '1',
    ...extra,
  };
}

describe('identity provider tokens (JWKS)', () => {
  const provider = new FakeProvider();
  const rsa = makeKey('RS256');
  const ec = makeKey('ES256');
  let t: TestApp;

  beforeAll(async () => {
    await provider.start();
    provider.keys = [rsa, ec];
    // AUTH_JWT_SECRET empty: only the JWKS is configured.
    t = await startTestApp({ listen: true, env: { ...providerEnv(provider), AUTH_JWT_SECRET: '' } });
  });
  afterAll(async () => {
    await t?.close();
    await provider.stop();
  });

  const get = (path: string, token: string) => request(t.baseUrl).get(path).set('Authorization', `Bearer ${token}`);
  const as = (groups: string[] | string | undefined, sub = 'someone', key = rsa) => provider.sign({ sub, groups }, key);

  async function expect401(token: string, message = 'invalid token', path = HISTORY) {
    const res = await get(path, token);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 401, message });
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  }

  describe('accepted, with the mapped role and sub as the owner', () => {
    it('an admin (RS256 and ES256) reads the admin routes; /metrics takes it too', async () => {
      for (const key of [rsa, ec]) {
        const res = await get(`${HISTORY}?limit=1`, await as(['staff', 'runlog-admins'], 'alice@example.com', key));
        expect(res.status).toBe(200);
      }
      expect((await get('/metrics', await as(['runlog-admins']))).status).toBe(200);
    });

    it('a service token writes a run; a user token may not (403) and an admin sees the run', async () => {
      const service = await as(['nightly-jobs'], 'workload:nightly-import');
      const start = await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', `Bearer ${service}`).send({ total_jobs: 1 });
      expect(start.status).toBe(201);
      const refused = await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', `Bearer ${await as(['runlog-users'])}`).send({});
      expect(refused.status).toBe(403);
      expect((await get(`${HISTORY}/${start.body.batch_run_id}`, await as(['runlog-admins']))).status).toBe(200);
    });

    it('a user starts onboarding and owns the run (owner_id = sub); another user gets 404, a user token 403 on admin routes', async () => {
      const portfolio = randomUUID();
      const alice = await as(['runlog-users'], 'user_2abc');
      const started = await request(t.baseUrl).post(`/api/v1/onboarding/${portfolio}/batch`).set('Authorization', `Bearer ${alice}`);
      expect(started.status).toBe(202);
      const run = await get(`${HISTORY}/${started.body.batch_run_id}`, await as(['runlog-admins']));
      expect(run.body.owner_id).toBe('user_2abc');
      expect((await get(`/api/v1/onboarding/status/${portfolio}`, alice)).status).toBe(200);
      expect((await get(`/api/v1/onboarding/status/${portfolio}`, await as(['runlog-users'], 'user_other'))).status).toBe(404);
      const admin = await get(HISTORY, alice);
      expect(admin.status).toBe(403);
      expect(admin.body.message).toMatch(/requires role admin; the token has role user/);
    });

    it('the live event stream (SSE), followed by an EventSource client with an admin token, carries a run a service token writes over HTTP, in order, and ends at the finish', async () => {
      const runId = `jwks-sse-${randomUUID().slice(0, 8)}`;
      const service = await as(['nightly-jobs'], 'workload:nightly-import');
      const post = (path: string, body: unknown) => request(t.baseUrl).post(`/api/v1/batch/runs${path}`).set('Authorization', `Bearer ${service}`).send(body as object);
      expect((await post('', { batch_run_id: runId, total_jobs: 1 })).status).toBe(201);
      expect((await post(`/${runId}/logs`, { entries: [{ level: 'info', message: 'stored before the stream' }] })).status).toBe(201);

      const es = followWithEventSource(`${t.baseUrl}${HISTORY}/${runId}/events`, `Bearer ${await as(['runlog-admins'], 'alice@example.com', ec)}`);
      try {
        await es.until((events) => events.length >= 2);
        // Live ones, written after the stream opened.
        expect((await post(`/${runId}/logs`, { entries: [{ level: 'warning', message: 'live 1' }, { level: 'info', message: 'live 2' }] })).status).toBe(201);
        expect((await post(`/${runId}/finish`, { status: 'completed', completed_jobs: 1 })).status).toBe(200);
        await es.until((events) => events.some((e) => e.name === 'BatchRunFinished'));
        expect(es.events.map((e) => [e.lastEventId, e.name])).toEqual([
          ['1', 'BatchRunStarted'],
          ['2', 'LogAppended'],
          ['3', 'LogAppended'],
          ['4', 'BatchRunFinished'],
        ]);
        expect(es.events[0].data.data).toMatchObject({ batch_run_id: runId });
        expect((es.events[1].data.data.entries as Array<{ message: string }>).map((e) => e.message)).toEqual(['stored before the stream']);
        expect((es.events[2].data.data.entries as Array<{ message: string }>).map((e) => e.message)).toEqual(['live 1', 'live 2']);
        expect(es.events[3].data.data).toMatchObject({ status: 'completed', completed_jobs: 1 });
        expect(es.unnamed).toBe(0);
        // The server ended the finished run's stream: the client's one reconnection (same token) is answered 204, and it stops.
        await es.stopped();
        expect(es.attempts).toEqual([null, '4']);
        expect(es.statuses).toEqual([200, 204]);
        expect(es.source.readyState).toBe(es.source.CLOSED);
      } finally {
        es.close();
      }
    }, 20_000);

    it('the event stream refuses a service and a user token (403) and a forged one (401), before any event', async () => {
      const runId = (await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', `Bearer ${await as('nightly-jobs')}`).send({})).body.batch_run_id;
      const events = `${HISTORY}/${runId}/events`;
      for (const [token, role] of [[await as(['nightly-jobs']), 'service'], [await as(['runlog-users']), 'user']]) {
        const res = await get(events, token);
        expect({ status: res.status, message: res.body.message }).toEqual({ status: 403, message: `requires role admin; the token has role ${role}` });
      }
      await expect401(unsigned({ iss: provider.issuer, aud: provider.audience, sub: 'x', groups: ['runlog-admins'], exp: now() + 60 }), 'invalid token', events);
    });

    it('owner scope of a service token: it writes a run for an owner (owner_id) but reads nothing; the owner (sub) reads it on the owner routes, another user and the writer\'s own sub do not', async () => {
      const portfolio = randomUUID();
      const runId = `jwks-owned-${randomUUID().slice(0, 8)}`;
      const service = await as(['nightly-jobs'], 'workload:nightly-import');
      const post = (path: string, body: unknown, token = service) => request(t.baseUrl).post(`/api/v1/batch/runs${path}`).set('Authorization', `Bearer ${token}`).send(body as object);
      expect((await post('', { batch_run_id: runId, portfolio_id: portfolio, owner_id: 'user_owner', total_jobs: 1 })).status).toBe(201);
      expect((await post(`/${runId}/logs`, { entries: [{ level: 'info', message: 'imported for user_owner' }] })).status).toBe(201);

      // What the service principal may not do: read, on the admin routes or the owner routes (role service is for ingestion only).
      const ownerStatus = `/api/v1/onboarding/status/${portfolio}`;
      const ownerLog = `${ownerStatus}/logs?format=ndjson&batch_run_id=${runId}`;
      for (const path of [HISTORY, `${HISTORY}/${runId}`, `${HISTORY}/${runId}/logs?format=ndjson`, `${HISTORY}/${runId}/timeline`]) {
        const res = await get(path, service);
        expect({ path, status: res.status, message: res.body.message }).toEqual({ path, status: 403, message: 'requires role admin; the token has role service' });
      }
      for (const path of [ownerStatus, ownerLog]) {
        const res = await get(path, service);
        expect({ path, status: res.status, message: res.body.message }).toEqual({ path, status: 403, message: 'requires role user or admin; the token has role service' });
      }
      const onboard = await request(t.baseUrl).post(`/api/v1/onboarding/${randomUUID()}/batch`).set('Authorization', `Bearer ${service}`);
      expect(onboard.status).toBe(403);
      // Several mapped groups: the most privileged role wins (service over user), so the owner's sub in a service token reads nothing either.
      expect((await get(ownerStatus, await as(['runlog-users', 'nightly-jobs'], 'user_owner'))).status).toBe(403);

      // The owner, a user token whose sub is the run's owner_id, reads it on the owner routes (and only there).
      const owner = await as(['runlog-users'], 'user_owner', ec);
      const status = await get(ownerStatus, owner);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ portfolio_id: portfolio, batch_run_id: runId, status: 'running', total_jobs: 1 });
      const log = await get(ownerLog, owner);
      expect(log.status).toBe(200);
      expect(log.text.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['imported for user_owner']);
      const adminRoute = await get(`${HISTORY}/${runId}`, owner);
      expect({ status: adminRoute.status, message: adminRoute.body.message }).toEqual({ status: 403, message: 'requires role admin; the token has role user' });
      // A user may not write to it either (ingestion is service or admin).
      expect((await post(`/${runId}/logs`, { entries: [{ level: 'info', message: 'by the owner' }] }, owner)).status).toBe(403);

      // Another user, and a user whose sub is the writing service's own: 404 on the owner routes, as for a portfolio that does not exist.
      for (const sub of ['user_other', 'workload:nightly-import']) {
        const other = await as(['runlog-users'], sub);
        expect({ sub, status: (await get(ownerStatus, other)).status }).toEqual({ sub, status: 404 });
        expect({ sub, status: (await get(ownerLog, other)).status }).toEqual({ sub, status: 404 });
      }

      // The service finishes it; the owner sees the finish, an admin sees the run with its owner_id.
      expect((await post(`/${runId}/finish`, { status: 'completed', completed_jobs: 1 })).status).toBe(200);
      expect((await get(ownerStatus, owner)).body).toMatchObject({ batch_run_id: runId, status: 'completed', progress_percent: 100 });
      const asAdmin = await get(`${HISTORY}/${runId}`, await as(['runlog-admins']));
      expect(asAdmin.body).toMatchObject({ batch_run_id: runId, owner_id: 'user_owner', portfolio_id: portfolio, status: 'completed' });
      expect((await get(ownerStatus, await as(['runlog-admins']))).body.batch_run_id).toBe(runId); // admin may read all on the owner routes
    });

    it('the Node client and the CLI pass a provider token as it is: a service token starts, logs and finishes a run; an admin token follows it and `runlog runs --json` lists it', async () => {
      const service = await as(['nightly-jobs'], 'workload:nightly-import');
      const admin = await as(['runlog-admins'], 'alice@example.com', ec);
      const producer = new RunlogClient({ baseUrl: t.baseUrl, token: service });
      const run = await producer.startRun({ phases: ['load'], totalJobs: 1, ownerId: 'user_owner' });
      for (let i = 1; i <= 25; i += 1) run.log(i === 13 ? 'warning' : 'info', `client line ${i}`, { phase: 'load' });
      await run.completePhase('load', { completedJobs: 1 });
      await run.finish('completed');

      const reader = new RunlogClient({ baseUrl: t.baseUrl, token: admin });
      expect(await reader.run(run.batchRunId)).toMatchObject({ batch_run_id: run.batchRunId, status: 'completed', owner_id: 'user_owner', log_entry_count: 25 });
      const followed: string[] = [];
      for await (const entry of reader.follow(run.batchRunId)) followed.push(entry.message); // SSE with the provider token; ends at the finish
      expect(followed).toEqual(Array.from({ length: 25 }, (_, i) => `client line ${i + 1}`));
      // The client's reads with the service token are refused by the server, not by the client.
      await expect(producer.run(run.batchRunId)).rejects.toThrow(/403/);

      const env = { RUNLOG_URL: t.baseUrl, RUNLOG_TOKEN: admin };
      const listed = await cli(['runs', '--json'], env);
      expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
      const runs = JSON.parse(listed.stdout) as Array<{ batch_run_id: string; status: string }>;
      expect(runs.find((r) => r.batch_run_id === run.batchRunId)).toMatchObject({ status: 'completed' });
      const logs = await cli(['logs', run.batchRunId, '--format', 'ndjson', '--level', 'warning'], env);
      expect(logs.code).toBe(0);
      expect(logs.stdout.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['client line 13']);
      // The service token in the CLI: the server's 403, said in one line, exit 2.
      const refused = await cli(['runs', '--json'], { ...env, RUNLOG_TOKEN: service });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^runlog: 403: requires role admin; the token has role service/);
    }, 30_000);

    it('clock skew: exp 10 s ago and nbf 10 s ahead are within AUTH_CLOCK_SKEW_SECONDS (30)', async () => {
      expect((await get(HISTORY, await provider.sign({ sub: 'a', groups: ['runlog-admins'], iat: now() - 600, exp: now() - 10 }))).status).toBe(200);
      expect((await get(HISTORY, await provider.sign({ sub: 'a', groups: ['runlog-admins'], nbf: now() + 10 }))).status).toBe(200);
    });
  });

  describe('refused', () => {
    const admin = (claims: Record<string, unknown> = {}) => provider.sign({ sub: 'mallory', groups: ['runlog-admins'], ...claims });

    it('wrong issuer, wrong audience: 401 invalid token', async () => {
      await expect401(await admin({ iss: 'https://evil.example/' }));
      await expect401(await admin({ iss: undefined }));
      await expect401(await admin({ aud: 'another-api' }));
      await expect401(await admin({ aud: undefined }));
    });

    it('expired (past the skew): 401 token expired; nbf past the skew, no exp, a lifetime past AUTH_MAX_TOKEN_TTL, no sub: 401 invalid token', async () => {
      await expect401(await admin({ iat: now() - 7200, exp: now() - 60 }), 'token expired');
      await expect401(await admin({ nbf: now() + 120 }));
      await expect401(await admin({ exp: undefined }));
      await expect401(await admin({ iat: now(), exp: now() + 2 * 86_400 }));
      await expect401(await admin({ sub: undefined }));
    });

    it('alg confusion: HS256 signed with the public key as the secret is a 401, so is alg none', async () => {
      const claims = { iss: provider.issuer, aud: provider.audience, sub: 'mallory', groups: ['runlog-admins'], iat: now(), exp: now() + 600 };
      await expect401(hs256WithPublicKey(rsa, claims));
      await expect401(hs256WithPublicKey(ec, claims));
      await expect401(unsigned(claims, rsa.kid));
      await expect401(unsigned(claims));
    });

    it("runlog's own HS256 tokens are refused when only a JWKS is configured", async () => {
      await expect401(await tokenFor('admin'));
    });

    it('a key of the wrong type for the alg (ES256 header, RSA key id) and a signature by a key not in the JWKS: 401', async () => {
      const stranger = makeKey('RS256', rsa.kid); // same kid, another key
      await expect401(await provider.sign({ sub: 'mallory', groups: ['runlog-admins'] }, stranger));
      await expect401(await provider.sign({ sub: 'mallory', groups: ['runlog-admins'] }, ec, { kid: rsa.kid }));
    });

    it('an unknown kid: 401, after at most one refetch of the JWKS however many such tokens come', async () => {
      await sleep(1_100); // past the cooldown of earlier fetches
      const before = provider.jwksFetches;
      const unknown = await provider.sign({ sub: 'mallory', groups: ['runlog-admins'] }, makeKey('RS256', 'not-published'));
      for (let i = 0; i < 20; i++) await expect401(unknown);
      expect(provider.jwksFetches - before).toBe(1);
    });

    it('a role claim missing, or naming no mapped group: 403 (no WWW-Authenticate), the claim named', async () => {
      for (const token of [await as(undefined), await as(['staff', 'admin']), await as('runlog-admin')]) {
        const res = await get(HISTORY, token);
        expect(res.status).toBe(403);
        expect(res.body.message).toBe('the token grants no runlog role (claim groups): it maps to none of admin, user, service');
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
      expect((await get('/metrics', await as(['staff']))).status).toBe(403);
    });
  });

  it('key rotation: a token of a new key is refused until the JWKS has it, then accepted without a restart', async () => {
    const next = makeKey('ES256');
    const token = await as(['runlog-admins'], 'rotated', next);
    await sleep(1_100);
    await expect401(token);
    provider.keys = [rsa, ec, next]; // the provider publishes the new key
    await sleep(1_100); // the cooldown since the last fetch
    expect((await get(HISTORY, token)).status).toBe(200);
  });

  it('the JWKS down (500, reset, not JSON): 503 with Retry-After for tokens that need a fetch, never 500 or accepted; one fetch per cooldown; back when it is', async () => {
    const unseen = makeKey('RS256', 'published-during-outage');
    const token = await as(['runlog-admins'], 'during-outage', unseen);
    for (const mode of ['error-500', 'reset', 'not-json'] as const) {
      provider.mode = mode;
      await sleep(1_100);
      const before = provider.jwksFetches;
      for (let i = 0; i < 5; i++) {
        const res = await get(HISTORY, token);
        expect({ mode, status: res.status, retryAfter: res.headers['retry-after'] }).toEqual({ mode, status: 503, retryAfter: '1' });
        expect(res.body).toMatchObject({ statusCode: 503, code: 'service_unavailable' });
      }
      expect(provider.jwksFetches - before).toBe(1);
      // Keys already held still verify during the outage; forged tokens are still refused without a fetch.
      expect((await get(HISTORY, await as(['runlog-admins']))).status).toBe(200);
      await expect401(unsigned({ iss: provider.issuer, aud: provider.audience, sub: 'x', groups: ['runlog-admins'], exp: now() + 60 }));
    }
    provider.mode = 'ok';
    provider.keys = [rsa, ec, unseen];
    await sleep(1_100);
    expect((await get(HISTORY, token)).status).toBe(200);
  });

  it('a JWKS that never answers: the fetch gives up (timeout 5 s) and the token gets 503 with Retry-After, not a request that hangs', async () => {
    const token = await as(['runlog-admins'], 'slow', makeKey('ES256', 'published-while-slow'));
    provider.mode = 'hang';
    await sleep(1_100);
    const started = Date.now();
    const res = await get(HISTORY, token);
    const tookMs = Date.now() - started;
    provider.mode = 'ok';
    expect({ status: res.status, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '1' });
    expect(tookMs).toBeGreaterThanOrEqual(2_000); // it did wait for the answer (a reused keep-alive socket's idle timer may have started earlier)
    expect(tookMs).toBeLessThan(8_000);
  });
});

describe('identity provider tokens: OIDC discovery, both modes, an unreachable provider', () => {
  const provider = new FakeProvider('https://tenant.idp.runlog.test/', 'api://runlog');
  const key = makeKey('RS256');
  let t: TestApp;

  beforeAll(async () => {
    await provider.start();
    provider.keys = [key];
    // AUTH_JWT_SECRET stays (the test apps' secret): runlog-minted tokens keep working beside the provider's.
    t = await startTestApp({
      listen: true,
      env: { AUTH_OIDC_ISSUER_URL: provider.url, AUTH_ISSUER: provider.issuer, AUTH_AUDIENCE: `other-api, ${provider.audience}` },
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider.stop();
  });

  const get = (path: string, token: string) => request(t.baseUrl).get(path).set('Authorization', `Bearer ${token}`);

  it('finds the JWKS through /.well-known/openid-configuration once; the default role claim is `role`', async () => {
    expect((await get(HISTORY, await provider.sign({ sub: 'ops', role: 'admin' }, key))).status).toBe(200);
    expect((await get(HISTORY, await provider.sign({ sub: 'ops', role: 'admin' }, key))).status).toBe(200);
    expect(provider.discoveryFetches).toBe(1);
    expect((await get(HISTORY, await provider.sign({ sub: 'ops', role: 'user' }, key))).status).toBe(403);
  });

  it('with AUTH_JWT_SECRET set as well, runlog-minted HS256 tokens are accepted beside the provider\'s', async () => {
    expect((await get(HISTORY, await tokenFor('admin'))).status).toBe(200);
    expect((await get(HISTORY, await tokenFor('user'))).status).toBe(403);
  });

  it('a provider that cannot be reached at all (nothing listens): 503 with Retry-After, and runlog started anyway', async () => {
    const port = await findFreePort();
    const down = await startTestApp({
      listen: true,
      env: { AUTH_JWKS_URL: `http://127.0.0.1:${port}/keys`, AUTH_ISSUER: provider.issuer, AUTH_AUDIENCE: provider.audience, AUTH_JWKS_COOLDOWN_SECONDS: '30' },
    });
    try {
      const res = await request(down.baseUrl).get(HISTORY).set('Authorization', `Bearer ${await provider.sign({ sub: 'ops', role: 'admin' }, key)}`);
      expect({ status: res.status, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '30' });
      expect((await request(down.baseUrl).get('/health/live')).status).toBe(200);
      expect((await request(down.baseUrl).get(HISTORY).set('Authorization', `Bearer ${await tokenFor('admin')}`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('identity provider settings, checked at boot', () => {
  const jwks = { AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json' };

  it('a JWKS without AUTH_ISSUER or AUTH_AUDIENCE stops the start naming them', () => {
    expect(() => loadConfig(jwks)).toThrow(/^AUTH_ISSUER and AUTH_AUDIENCE must be set when AUTH_JWKS_URL is set/);
    expect(() => loadConfig({ ...jwks, AUTH_ISSUER: 'https://idp.example/' })).toThrow(/^AUTH_AUDIENCE must be set when AUTH_JWKS_URL/);
    expect(() => loadConfig({ AUTH_OIDC_ISSUER_URL: 'https://idp.example/', AUTH_AUDIENCE: 'x' })).toThrow(/^AUTH_ISSUER must be set when AUTH_OIDC_ISSUER_URL/);
    expect(() => loadConfig({ ...jwks, AUTH_OIDC_ISSUER_URL: 'https://idp.example/', AUTH_ISSUER: 'a', AUTH_AUDIENCE: 'b' })).toThrow(/not both/);
  });

  it('URLs, the role map, the cooldown and the skew are checked; the defaults', () => {
    const base = { ...jwks, AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'runlog' };
    expect(loadConfig(base)).toMatchObject({ authRoleClaim: 'role', authRoleMap: null, authJwksCooldownSeconds: 30, authClockSkewSeconds: 30, authAudience: ['runlog'] });
    expect(loadConfig({})).toMatchObject({ authJwksUrl: null, authOidcIssuerUrl: null, authIssuer: null, authAudience: null });
    for (const url of ['idp.example/keys', 'ftp://idp.example/keys', 'file:///etc/passwd']) {
      expect(() => loadConfig({ ...base, AUTH_JWKS_URL: url })).toThrow(/^AUTH_JWKS_URL must be an http\(s\) URL/);
    }
    for (const map of ['{"g":"root"}', '["admin"]', '{}', 'admin', '{"":"admin"}']) {
      expect(() => loadConfig({ ...base, AUTH_ROLE_MAP: map })).toThrow(/^AUTH_ROLE_MAP must be a JSON object/);
    }
    for (const bad of ['0', '-1', 'x', '3601']) expect(() => loadConfig({ ...base, AUTH_JWKS_COOLDOWN_SECONDS: bad })).toThrow(/AUTH_JWKS_COOLDOWN_SECONDS/);
    for (const bad of ['-1', '1.5', '301']) expect(() => loadConfig({ ...base, AUTH_CLOCK_SKEW_SECONDS: bad })).toThrow(/AUTH_CLOCK_SKEW_SECONDS/);
  });
});
