/**
 * One request to runlog, retried the way a producer must: network errors, 429 and 503 (and 502/504
 * from a proxy) are retried with exponential backoff and jitter, honouring Retry-After; any other
 * answer is returned to the caller, who knows what it means for its request.
 */
export interface HttpOptions {
  baseUrl: string;
  token: string;
  /** First backoff; doubled per attempt up to maxBackoffMs. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Give up after this long (default: never; a log line is not dropped because runlog was away). */
  giveUpAfterMs?: number;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  body: any;
  /** Attempts made, 1 when the first one was answered. */
  attempts: number;
}

export class RunlogHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
    what: string,
  ) {
    super(`${what}: ${status} ${typeof body === 'object' && body ? (body.code ? `${body.code}: ` : '') + JSON.stringify(body.message) : String(body)}`);
    this.name = 'RunlogHttpError';
  }
}

const RETRIED = new Set([429, 502, 503, 504]);

export async function request(options: HttpOptions, method: string, path: string, body?: unknown): Promise<Answer> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    let wait: number;
    try {
      const res = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
      });
      const text = await res.text();
      const parsed = parseBody(text);
      if (!RETRIED.has(res.status)) return { status: res.status, body: parsed, attempts: attempt };
      wait = retryAfterMs(res.headers.get('retry-after')) ?? backoff(options, attempt);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      wait = backoff(options, attempt); // refused, reset, timed out: runlog is away, try again
    }
    if (options.giveUpAfterMs !== undefined && Date.now() - started + wait > options.giveUpAfterMs) {
      throw new Error(`runlog did not answer ${method} ${path} within ${options.giveUpAfterMs} ms (${attempt} attempts)`);
    }
    await sleep(wait, options.signal);
  }
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

function backoff(options: HttpOptions, attempt: number): number {
  const ceiling = Math.min(options.maxBackoffMs, options.minBackoffMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    }, { once: true });
  });
}
