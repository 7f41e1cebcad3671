import request from 'supertest';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

describe('probe', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000' } });
    admin = `Bearer ${await tokenFor('admin')}`;
    await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', admin).send({ batch_run_id: 'r1', phases: ['A'] }).expect(201);
  });
  afterAll(async () => t.close());
  const cases: Array<[string, string, unknown?]> = [
    ['POST', '/api/v1/batch/runs', { owner_id: 'a\u0000b' }],
    ['POST', '/api/v1/batch/runs', { owner_id: 'a\ud800b' }],
    ['POST', '/api/v1/batch/runs', { phases: ['a\ud800b'] }],
    ['POST', '/api/v1/batch/runs', { total_jobs: 2 ** 40 }],
    ['POST', '/api/v1/batch/runs', { total_jobs: 1e308 }],
    ['POST', '/api/v1/batch/runs', [1, 2]],
    ['POST', '/api/v1/batch/runs', JSON.parse('{"__proto__": {"x": 1}}')],
    ['POST', '/api/v1/batch/runs', JSON.parse('{"constructor": {"prototype": {"x": 1}}}')],
    ['POST', '/api/v1/batch/runs', JSON.parse('{"a":' + '['.repeat(20000) + ']'.repeat(20000) + '}')],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: [{ level: 'info', message: 'x', phase: 'p\ud800' }] }],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: [{ level: 'info', message: 'x', timestamp: '0000-01-01T00:00:00Z' }] }],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: [{ level: 'info', message: 'x', timestamp: '2020-W01-1' }] }],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: [{ level: 'info', message: 'x', seq: 2 ** 40 }] }],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: [[[[1]]]] }],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: 'x' }],
    ['POST', '/api/v1/batch/runs/r1/logs', { entries: [null] }],
    ['POST', '/api/v1/batch/runs/r1/phases/%ED%A0%80/complete', {}],
    ['POST', '/api/v1/batch/runs/r1/phases/%00/complete', {}],
    ['POST', '/api/v1/batch/runs/r1/phases/%E2%80%AE/complete', { completed_jobs: 2 ** 40 }],
    ['POST', '/api/v1/batch/runs/%ED%A0%80/finish', { status: 'completed' }],
    ['POST', '/api/v1/batch/runs/r1/finish', { status: 'completed', completed_jobs: 2 ** 33 }],
    ['GET', '/api/v1/admin/batch/history?cursor=' + Buffer.from(JSON.stringify(['0', 'x'])).toString('base64url')],
    ['GET', '/api/v1/admin/batch/history?cursor=' + Buffer.from(JSON.stringify(['2020-01-01', 'x\u0000'])).toString('base64url')],
    ['GET', '/api/v1/admin/batch/history?limit[]=1'],
    ['GET', '/api/v1/admin/batch/history?limit=1&limit=2'],
    ['GET', '/api/v1/admin/batch/history?status[a]=b'],
    ['GET', '/api/v1/admin/batch/history?%ED%A0%80=1'],
    ['GET', '/api/v1/admin/batch/history?a=%ED%A0%80'],
    ['GET', '/api/v1/admin/batch/history/r1/logs?phase=%00'],
    ['GET', '/api/v1/admin/batch/history/r1/logs?phase=%ED%A0%80'],
    ['GET', '/api/v1/admin/batch/history/r1/logs?after_seq=99999999999'],
    ['GET', '/api/v1/admin/batch/history/r1/logs?limit=1e3'],
    ['GET', '/api/v1/admin/batch/history/r1/logs?after_seq=1e3&format=txt'],
    ['GET', '/api/v1/admin/batch/history/r1/timeline?at=2020-W01-1'],
    ['GET', '/api/v1/admin/batch/history/r1/timeline?at=2020-001'],
    ['GET', '/api/v1/admin/batch/history/r1/events?speed=1e-400'],
    ['GET', '/api/v1/onboarding/status/00000000-0000-0000-0000-000000000000/logs?batch_run_id=%00'],
    ['GET', '/api/v1/admin/batch/history/..%2F..%2Fetc'],
    ['GET', '/api/v1/admin/batch/history/%ZZ'],
    ['GET', '/api/v1/admin/batch/history/' + 'a'.repeat(100000)],
  ];
  it.each(cases.map((c, i) => [i, ...c]))('%s %s %s', async (_i, method, path, body) => {
    const req = method === 'POST' ? request(t.baseUrl).post(path as string) : request(t.baseUrl).get(path as string);
    req.set('Authorization', admin).timeout(5000);
    const res = body !== undefined ? await req.send(body as object) : await req.catch((e) => e.response ?? { status: String(e) });
    console.log(method, String(path).slice(0, 100), res.status, JSON.stringify(res.body).slice(0, 200));
  });
});
