/** Shared helpers for the HTTP API e2e tests (test/api): tokens, requests, raw downloads, polling. */
import { randomUUID } from 'crypto';
import * as http from 'http';
import request from 'supertest';
import { Role } from '../../src/auth/principal';
import { TestApp, tokenFor } from '../support/test-app';

export const RUN_FIELDS = [
  'batch_run_id',
  'portfolio_id',
  'owner_id',
  'status',
  'started_at',
  'completed_at',
  'total_jobs',
  'completed_jobs',
  'failed_jobs',
] as const;

export const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const GENERATED_ID = /^batch_(\d{8})_(\d{6})_[0-9a-f]{4}$/;
/** A TXT entry line: `<ISO-8601 UTC ms Z> <LEVEL> [<phase>] <message>` (phase optional). */
export const TXT_ENTRY_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (INFO|WARNING|ERROR)(?: \[([^\]]*)\])? (.*)$/;
export const STARTS_WITH_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

export async function bearer(role: Role, sub?: string): Promise<string> {
  return `Bearer ${await tokenFor(role, sub)}`;
}

/** A new random v4-shaped UUID. */
export function uuid(): string {
  return randomUUID();
}

/** Collects any response body as text (supertest only buffers text/* and JSON by itself). */
export function asText(res: http.IncomingMessage, callback: (error: Error | null, body: string) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => callback(null, body));
  res.on('error', (error) => callback(error, body));
}

/** GET a download with its raw body in `res.body` as a string. */
export function download(t: TestApp, path: string, authorization: string): request.Test {
  return request(t.baseUrl)
    .get(path)
    .set('Authorization', authorization)
    .buffer(true)
    .parse(asText as never);
}

export interface StartRunBody {
  batch_run_id?: string;
  portfolio_id?: string;
  owner_id?: string;
  total_jobs?: number;
  phases?: string[];
}

export interface EntryBody {
  level: string;
  message: string;
  timestamp?: string;
  phase?: string;
  seq?: number;
}

/** A small client for the ingestion routes, failing loudly when an expected 2xx does not come. */
export class Ingest {
  constructor(
    private readonly t: TestApp,
    private readonly authorization: string,
  ) {}

  async start(body: StartRunBody = {}): Promise<string> {
    const res = await request(this.t.baseUrl).post('/api/v1/batch/runs').set('Authorization', this.authorization).send(body);
    if (res.status !== 201) throw new Error(`start: ${res.status} ${res.text}`);
    return res.body.batch_run_id;
  }

  async append(batchRunId: string, entries: EntryBody[]): Promise<{ appended: number; last_seq: number }> {
    const res = await request(this.t.baseUrl)
      .post(`/api/v1/batch/runs/${encodeURIComponent(batchRunId)}/logs`)
      .set('Authorization', this.authorization)
      .send({ entries });
    if (res.status !== 201) throw new Error(`append: ${res.status} ${res.text}`);
    return res.body;
  }

  async completePhase(batchRunId: string, phase: string, body: object = {}): Promise<void> {
    const res = await request(this.t.baseUrl)
      .post(`/api/v1/batch/runs/${encodeURIComponent(batchRunId)}/phases/${encodeURIComponent(phase)}/complete`)
      .set('Authorization', this.authorization)
      .send(body);
    if (res.status !== 200) throw new Error(`complete phase: ${res.status} ${res.text}`);
  }

  async finish(batchRunId: string, status = 'completed', body: object = {}): Promise<void> {
    const res = await request(this.t.baseUrl)
      .post(`/api/v1/batch/runs/${encodeURIComponent(batchRunId)}/finish`)
      .set('Authorization', this.authorization)
      .send({ status, ...body });
    if (res.status !== 200) throw new Error(`finish: ${res.status} ${res.text}`);
  }
}

/** The stored entry count of a run, as the admin API reports it. */
export async function entryCount(t: TestApp, batchRunId: string, adminAuthorization: string): Promise<number> {
  const res = await request(t.baseUrl)
    .get(`/api/v1/admin/batch/history/${encodeURIComponent(batchRunId)}/logs/count`)
    .set('Authorization', adminAuthorization);
  if (res.status !== 200) throw new Error(`count: ${res.status} ${res.text}`);
  return res.body.count;
}

/** Polls until `probe` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
