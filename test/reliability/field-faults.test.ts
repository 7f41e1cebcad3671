/**
 * Faults found in the field (issue #10 §5), each a 4xx and never a 5xx, one describe per fault:
 * impossible dates in a list cursor, concurrent onboarding starts, tokens without a bounded lifetime,
 * bodies read before authentication, run ids that browsers rewrite, inconsistent optional fields and
 * number formats, and missing security headers. All against the real app over real HTTP.
 */
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'crypto';
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

});
