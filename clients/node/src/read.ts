/**
 * Reading a run: its log as a stream (download), its entries as they are committed (follow, over
 * the run's Server-Sent Events with the `eventsource` package, which reconnects and resumes with
 * Last-Event-ID by itself), and the list of runs.
 */
import { EventSource } from 'eventsource';
import { Readable } from 'stream';
import type { components } from './generated/openapi';
import { HttpOptions, request, RunlogHttpError } from './http';

/** An entry as the server reports it (generated from its OpenAPI document). */
export type FollowedEntry = components['schemas']['LogEntry'];

export interface DownloadOptions {
  format?: 'txt' | 'json' | 'ndjson';
  level?: string;
  phase?: string;
}

/** A run as the list shows it, and one run's details (generated from the OpenAPI document). */
export type RunSummary = components['schemas']['RunListItem'];
export type RunDetails = components['schemas']['RunDetails'];

export interface ListRunsOptions {
  status?: string;
  portfolioId?: string;
  limit?: number;
}

const EVENT_TYPES = ['BatchRunStarted', 'LogAppended', 'PhaseCompleted', 'BatchRunFinished', 'LogEntriesDropped'];

export async function listRuns(http: HttpOptions, options: ListRunsOptions = {}): Promise<RunSummary[]> {
  const query = new URLSearchParams();
  if (options.status) query.set('status', options.status);
  if (options.portfolioId) query.set('portfolio_id', options.portfolioId);
  query.set('limit', String(options.limit ?? 50));
  const answer = await request(http, 'GET', `/api/v1/admin/batch/history?${query}`);
  if (answer.status !== 200) throw new RunlogHttpError(answer.status, answer.body, 'listing runs');
  return (answer.body as components['schemas']['RunListPage']).runs;
}

export async function runStatus(http: HttpOptions, batchRunId: string): Promise<RunDetails> {
  const answer = await request(http, 'GET', `/api/v1/admin/batch/history/${encodeURIComponent(batchRunId)}`);
  if (answer.status !== 200) throw new RunlogHttpError(answer.status, answer.body, `reading run ${batchRunId}`);
  return answer.body as RunDetails;
}

/** The log as a byte stream, as the server streams it (errors before the first byte reject). */
export async function download(http: HttpOptions, batchRunId: string, options: DownloadOptions = {}): Promise<Readable> {
  const query = new URLSearchParams({ format: options.format ?? 'txt' });
  if (options.level) query.set('level', options.level);
  if (options.phase) query.set('phase', options.phase);
  const res = await fetch(`${http.baseUrl}/api/v1/admin/batch/history/${encodeURIComponent(batchRunId)}/logs?${query}`, {
    headers: { Authorization: `Bearer ${http.token}` },
    signal: http.signal,
  });
  if (res.status !== 200 || !res.body) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    throw new RunlogHttpError(res.status, body, `downloading run ${batchRunId}`);
  }
  return Readable.fromWeb(res.body as import('stream/web').ReadableStream);
}

/**
 * The run's entries after `afterSeq`, in order, as they are committed; ends when the run finishes.
 * A dropped connection is resumed by the EventSource (Last-Event-ID), so no entry is missed or repeated.
 */
export async function* follow(http: HttpOptions, batchRunId: string, options: { afterSeq?: number } = {}): AsyncGenerator<FollowedEntry> {
  const afterSeq = options.afterSeq ?? 0;
  const queue: Array<{ type: string; data: any } | { error: Error } | 'end'> = [];
  let wake: (() => void) | null = null;
  const push = (item: (typeof queue)[number]) => {
    queue.push(item);
    wake?.();
  };
  const source = new EventSource(`${http.baseUrl}/api/v1/admin/batch/history/${encodeURIComponent(batchRunId)}/events`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${http.token}` } }),
  });
  const onEvent = (event: MessageEvent) => push({ type: event.type === 'message' ? (JSON.parse(event.data).type as string) : event.type, data: JSON.parse(event.data) });
  for (const type of [...EVENT_TYPES, 'message']) source.addEventListener(type, onEvent as never);
  source.addEventListener('error', (event: { code?: number; message?: string }) => {
    // 204 (a finished run with nothing more) ends the stream; 4xx cannot get better by retrying.
    if (event.code === 204) push('end');
    else if (event.code !== undefined && event.code >= 400 && event.code < 500) push({ error: new RunlogHttpError(event.code, event.message ?? '', `following run ${batchRunId}`) });
  });
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const item = queue.shift()!;
      if (item === 'end') return;
      if ('error' in item) throw item.error;
      const payload = item.data?.data ?? item.data;
      if (item.type === 'LogAppended') {
        for (const entry of payload.entries ?? []) if (entry.seq > afterSeq) yield entry as FollowedEntry;
      }
      if (item.type === 'BatchRunFinished') return;
    }
  } finally {
    source.close();
  }
}
