/**
 * Limits: request bodies over 5 MiB are 413 (a JSON answer, nothing stored), and downloads are rate
 * limited per principal (RATE_LIMIT_DOWNLOADS_PER_MINUTE, here 3): the next one is 429 with
 * Retry-After, one budget across the owner's and the admin's download routes, other principals unaffected.
 */
import * as http from 'http';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, download, entryCount, Ingest, uuid } from './api-helpers';

const MIB = 1024 * 1024;

describe('limits', () => {
  let t: TestApp;
  let admin: string;
  let service: string;
  let ingest: Ingest;

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '3' } });
    admin = await bearer('admin', 'admin-1');
    service = await bearer('service', 'producer');
    ingest = new Ingest(t, service);
  });
  afterAll(async () => t?.close());

  /** n entries of 65536 characters each, as a JSON body. */
  const bigBody = (n: number) => JSON.stringify({ entries: Array.from({ length: n }, (_, i) => ({ level: 'info', message: String(i % 10).repeat(65536) })) });

  describe('request body size', () => {
    it('accepts a body just under 5 MiB', async () => {
      const id = await ingest.start();
      const body = bigBody(79);
      expect(Buffer.byteLength(body)).toBeLessThan(5 * MIB);
      const res = await request(t.baseUrl).post(`/api/v1/batch/runs/${id}/logs`).set('Authorization', service).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ appended: 79, last_seq: 79 });
    });

    it('answers a body over 5 MiB with 413 and a JSON error body; nothing is stored', async () => {
      const id = await ingest.start();
      const body = bigBody(81);
      expect(Buffer.byteLength(body)).toBeGreaterThan(5 * MIB);
      const res = await request(t.baseUrl).post(`/api/v1/batch/runs/${id}/logs`).set('Authorization', service).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
      expect(await entryCount(t, id, admin)).toBe(0);
    });

    it('413 too for a chunked body (no Content-Length) that grows past 5 MiB', async () => {
      const id = await ingest.start();
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          `${t.baseUrl}/api/v1/batch/runs/${id}/logs`,
          { method: 'POST', headers: { Authorization: service, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        const payload = Buffer.from(bigBody(90));
        // Written in pieces; the server may answer (and stop reading) before the last one.
        let offset = 0;
        const writeMore = () => {
          while (offset < payload.length) {
            const piece = payload.subarray(offset, offset + 256 * 1024);
            offset += piece.length;
            if (!req.write(piece)) return void req.once('drain', writeMore);
          }
          req.end();
        };
        writeMore();
      });
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ statusCode: 413 });
      expect(await entryCount(t, id, admin)).toBe(0);
    });

    it('the 5 MiB limit holds on every JSON route (start a run)', async () => {
      const res = await request(t.baseUrl)
        .post('/api/v1/batch/runs')
        .set('Authorization', service)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ owner_id: 'x'.repeat(6 * MIB) }));
      expect(res.status).toBe(413);
      expect(res.body.statusCode).toBe(413);
    });
  });

  describe('download rate limit (3 per minute per principal)', () => {
    const portfolio = uuid();
    let runId: string;
    beforeAll(async () => {
      runId = await ingest.start({ portfolio_id: portfolio, owner_id: 'ursula' });
      await ingest.append(runId, [{ level: 'info', message: 'hello' }]);
      // ulf has a run on the same portfolio, so his own downloads succeed.
      await ingest.start({ portfolio_id: portfolio, owner_id: 'ulf' });
    });

    const ownerLogs = (authorization: string, format = 'txt') => download(t, `/api/v1/onboarding/status/${portfolio}/logs?format=${format}`, authorization);
    const adminLogs = (authorization: string) => download(t, `/api/v1/admin/batch/history/${runId}/logs`, authorization);

    const expect429 = (res: request.Response) => {
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(JSON.parse(res.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('at most 3 per minute') });
    };

    it('the 4th download of one user is 429 with Retry-After; another user still gets 200', async () => {
      const ursula = await bearer('user', 'ursula');
      for (const format of ['txt', 'json', 'ndjson']) expect((await ownerLogs(ursula, format)).status).toBe(200);
      expect429(await ownerLogs(ursula));
      expect429(await ownerLogs(ursula, 'json'));
      // A new token for the same principal shares the budget.
      expect429(await ownerLogs(await bearer('user', 'ursula')));
      expect((await ownerLogs(await bearer('user', 'ulf'))).status).toBe(200);
    });

    it('routes that are not downloads are not limited', async () => {
      const ursula = await bearer('user', 'ursula');
      for (let i = 0; i < 5; i += 1) {
        expect((await request(t.baseUrl).get(`/api/v1/onboarding/status/${portfolio}`).set('Authorization', ursula)).status).toBe(200);
      }
    });

    it('one budget per principal across the admin and owner download routes', async () => {
      const other = await bearer('admin', 'admin-2');
      expect((await adminLogs(other)).status).toBe(200);
      expect((await adminLogs(other)).status).toBe(200);
      expect((await ownerLogs(other, 'json')).status).toBe(200);
      expect429(await adminLogs(other));
      expect429(await ownerLogs(other));
      // The admin's other routes still answer.
      const count = await request(t.baseUrl).get(`/api/v1/admin/batch/history/${runId}/logs/count`).set('Authorization', other);
      expect(count.status).toBe(200);
      // Another admin has a budget of their own.
      expect((await adminLogs(await bearer('admin', 'admin-3'))).status).toBe(200);
    });
  });
});
