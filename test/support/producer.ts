/**
 * HTTP producers for the reliability tests and the soak: each appends to its own run over real HTTP,
 * with explicit seqs, retries a batch whose answer it did not see (a killed service, a reset
 * connection) with the very same seqs, and records every entry that was acknowledged with a 201.
 * Only loopback is ever addressed; every loop is bounded by a deadline.
 */
import * as http from 'http';
import { performance } from 'perf_hooks';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** JSON-encoded when not a string. */
  body?: unknown;
  timeoutMs?: number;
  agent?: http.Agent;
}

/** One HTTP request to 127.0.0.1, the whole body read as text. Network failures reject. */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
    return Promise.reject(new Error(`refusing to talk to ${target.hostname}: reliability tests only use loopback`));
  }
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (payload !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = http.request(target, { method: options.method ?? 'GET', headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
    });
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`request timed out after ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Where the producers send their requests: a fixed URL, or a service that goes away and comes back. */
export interface ProducerTarget {
  /** The current base URL and its generation; waits (bounded) while the service is down. */
  current(timeoutMs: number): Promise<{ baseUrl: string; generation: number }>;
  /** Resolves once a generation newer than `generation` is up, or after `timeoutMs`. */
  changedSince(generation: number, timeoutMs: number): Promise<void>;
  agent?: http.Agent;
}

export function fixedTarget(baseUrl: string, agent?: http.Agent): ProducerTarget {
  return {
    current: async () => ({ baseUrl, generation: 1 }),
    changedSince: (_generation, timeoutMs) => new Promise((resolve) => setTimeout(resolve, Math.min(timeoutMs, 100))),
    agent,
  };
}

/**
 * A service that is killed and restarted: down() before the kill, up(url) once the new process
 * listens. Producers waiting for it wake at up(). Each generation gets its own keep-alive agent, so
 * no request goes out on a socket of a dead process.
 */
export class Switchboard implements ProducerTarget {
  private baseUrl: string | null = null;
  private gen = 0;
  private closed = false;
  private waiters: Array<() => void> = [];
  agent?: http.Agent;

  get generation(): number {
    return this.gen;
  }

  up(baseUrl: string): void {
    this.agent?.destroy(); // sockets of the previous process
    this.baseUrl = baseUrl;
    this.gen += 1;
    this.agent = new http.Agent({ keepAlive: true });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** No new request goes out until up(); requests in flight are left alone (the kill cuts them). */
  down(): void {
    this.baseUrl = null;
  }

  /** The service is not coming back (the test failed): waiting producers give up at once. */
  close(): void {
    this.closed = true;
    this.down();
    this.agent?.destroy();
    for (const wake of [...this.waiters]) wake();
  }

  async current(timeoutMs: number): Promise<{ baseUrl: string; generation: number }> {
    const until = Date.now() + timeoutMs;
    while (this.baseUrl === null) {
      if (this.closed) throw new Error('service closed');
      if (Date.now() >= until) throw new Error(`service not back within ${timeoutMs} ms`);
      await this.wait(until - Date.now());
    }
    return { baseUrl: this.baseUrl, generation: this.gen };
  }

  async changedSince(generation: number, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.gen <= generation && !this.closed && Date.now() < until) await this.wait(until - Date.now());
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(ms, 0));
      this.waiters.push(done);
    });
  }
}

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export { seededRandom } from '../../src/common/seeded-random';

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export interface SentEntry {
  seq: number;
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface ProducerStats {
  /** Append requests answered 201. */
  batches: number;
  /** Append requests sent again after a lost answer (network error or 503). */
  retries: number;
  /** Acknowledged retries that stored fewer entries than they carried: the lost answer's commit had happened. */
  deduplicatedBatches: number;
  /** Entries skipped on such retries because their seq was stored already. */
  deduplicatedEntries: number;
  /** Every status seen on any request, e.g. {201: 812, 503: 2}. */
  statuses: Record<number, number>;
  networkErrors: number;
  /** Answers no producer should get (5xx other than 503, 4xx, a wrong last_seq): the test fails on any. */
  unexpected: string[];
  /** Append latencies in ms (request sent to answer read), when recording is on. */
  latenciesMs: number[];
  phasesCompleted: number;
}

export interface ProducerOptions {
  runId: string;
  target: ProducerTarget;
  /** `Bearer ...` of a service (or admin) token. */
  authorization: string;
  random: () => number;
  minBatch: number;
  maxBatch: number;
  /** Complete the run's next phase after every this many acknowledged batches (0: never). */
  phaseEvery?: number;
  /** Phases the run is started with (at most 100). */
  phases?: number;
  /** Longest message body, in characters, besides the fixed prefix. */
  maxMessageChars?: number;
  requestTimeoutMs?: number;
  /** How long one request may keep being retried before the producer gives up (it records why). */
  retryBudgetMs?: number;
  recordLatency?: boolean;
}

const LEVELS: SentEntry['level'][] = ['info', 'info', 'info', 'warning', 'error'];
const WORDS = ['load', 'extract', 'rows', 'portfolio', 'price', 'ok', 'retry', 'skipped', 'ÄÖÜ', '日本', 'emoji 🚀', 'x=1', '"quoted"'];

export class Producer {
  /** Every acknowledged entry, index seq - 1. */
  readonly acked: SentEntry[] = [];
  readonly stats: ProducerStats = {
    batches: 0,
    retries: 0,
    deduplicatedBatches: 0,
    deduplicatedEntries: 0,
    statuses: {},
    networkErrors: 0,
    unexpected: [],
    latenciesMs: [],
    phasesCompleted: 0,
  };
  /** True while a request of this producer awaits its answer. */
  inFlight = false;
  private started = false;
  private phaseIndex = 0;
  private readonly phaseNames: string[];

  constructor(private readonly options: ProducerOptions) {
    this.phaseNames = Array.from({ length: options.phases ?? 0 }, (_, i) => `phase-${i + 1}`);
  }

  get runId(): string {
    return this.options.runId;
  }

  get lastAckedSeq(): number {
    return this.acked.length;
  }

  /** Starts the run (a 409 run_exists after a lost answer means it was started). */
  async start(deadline: number): Promise<boolean> {
    const answer = await this.send('POST', '/api/v1/batch/runs', { batch_run_id: this.runId, phases: this.phaseNames }, deadline, [201, 409]);
    if (!answer) return false;
    if (answer.status === 409 && !answer.body.includes('run_exists')) {
      this.stats.unexpected.push(`start ${this.runId}: 409 ${answer.body}`);
      return false;
    }
    this.started = true;
    return true;
  }

  /** Appends batches until `shouldStop()` or the deadline; the batch in flight is always seen through to its 201. */
  async run(shouldStop: () => boolean, deadline: number): Promise<void> {
    if (!this.started && !(await this.start(deadline))) return;
    while (!shouldStop() && Date.now() < deadline && this.stats.unexpected.length === 0) {
      if (!(await this.appendOne(deadline))) return;
      const every = this.options.phaseEvery ?? 0;
      if (every > 0 && this.stats.batches % every === 0 && this.phaseIndex < this.phaseNames.length - 1) {
        if (!(await this.completePhase(deadline))) return;
      }
    }
  }

  /** One new batch (1 to maxBatch entries, next seqs), retried until acknowledged. */
  async appendOne(deadline: number): Promise<boolean> {
    const size = randomInt(this.options.random, this.options.minBatch, this.options.maxBatch);
    const first = this.lastAckedSeq + 1;
    const entries = Array.from({ length: size }, (_, i) => this.entry(first + i));
    const answer = await this.send('POST', `/api/v1/batch/runs/${this.runId}/logs`, { entries }, deadline, [201], this.options.recordLatency);
    if (!answer) return false;
    let body: { appended?: unknown; last_seq?: unknown };
    try {
      body = JSON.parse(answer.body);
    } catch {
      body = {};
    }
    const last = first + size - 1;
    if (typeof body.appended !== 'number' || typeof body.last_seq !== 'number' || body.last_seq < last || body.appended > size) {
      this.stats.unexpected.push(`append ${this.runId} seq ${first}..${last}: 201 with ${answer.body}`);
      return false;
    }
    if (body.appended < size) {
      this.stats.deduplicatedBatches += 1;
      this.stats.deduplicatedEntries += size - body.appended;
    }
    this.acked.push(...entries);
    this.stats.batches += 1;
    return true;
  }

  async completePhase(deadline: number): Promise<boolean> {
    const phase = this.phaseNames[this.phaseIndex];
    const answer = await this.send('POST', `/api/v1/batch/runs/${this.runId}/phases/${phase}/complete`, { completed_jobs: 1 }, deadline, [200]);
    if (!answer) return false;
    this.phaseIndex += 1;
    this.stats.phasesCompleted += 1;
    return true;
  }

  async finish(status: 'completed' | 'failed' | 'partial', deadline: number): Promise<boolean> {
    return (await this.send('POST', `/api/v1/batch/runs/${this.runId}/finish`, { status }, deadline, [200])) !== null;
  }

  private entry(seq: number): SentEntry {
    const random = this.options.random;
    const words = Array.from({ length: randomInt(random, 0, Math.ceil((this.options.maxMessageChars ?? 80) / 6)) }, () => WORDS[randomInt(random, 0, WORDS.length - 1)]);
    return { seq, level: LEVELS[randomInt(random, 0, LEVELS.length - 1)], message: `${this.runId} #${seq} ${words.join(' ')}`.trimEnd() };
  }

  /**
   * Sends one request until it gets an answer that is not a lost one: network errors and 503
   * (database unavailable) are retried with the same body once the service is back; any status not
   * in `expected` is recorded as unexpected. Returns null when giving up.
   */
  private async send(method: string, path: string, body: unknown, deadline: number, expected: number[], record = false): Promise<HttpAnswer | null> {
    // The deadline stops new batches; a batch already sent is seen through for up to the retry budget.
    const retryUntil = Date.now() + (this.options.retryBudgetMs ?? 60_000);
    for (let attempt = 1; ; attempt += 1) {
      if (attempt > 1) this.stats.retries += 1;
      let where: { baseUrl: string; generation: number };
      try {
        where = await this.options.target.current(Math.max(retryUntil - Date.now(), 0));
      } catch (error) {
        this.stats.unexpected.push(`${method} ${path}: ${(error as Error).message}`);
        return null;
      }
      const startedAt = performance.now();
      this.inFlight = true;
      try {
        const answer = await httpRequest(where.baseUrl + path, {
          method,
          body,
          headers: { Authorization: this.options.authorization },
          timeoutMs: this.options.requestTimeoutMs ?? 30_000,
          agent: this.options.target.agent,
        });
        this.stats.statuses[answer.status] = (this.stats.statuses[answer.status] ?? 0) + 1;
        if (expected.includes(answer.status)) {
          if (record) this.stats.latenciesMs.push(performance.now() - startedAt);
          return answer;
        }
        if (answer.status !== 503) {
          this.stats.unexpected.push(`${method} ${path}: ${answer.status} ${answer.body.slice(0, 300)}`);
          return null;
        }
      } catch {
        this.stats.networkErrors += 1;
      } finally {
        this.inFlight = false;
      }
      if (Date.now() >= retryUntil) {
        this.stats.unexpected.push(`${method} ${path}: no answer within the retry budget (${attempt} attempts)`);
        return null;
      }
      // Lost answer: wait for the next service generation (or a moment, for a transient error), then resend.
      await this.options.target.changedSince(where.generation, 250);
    }
  }
}

/** The p-th percentile (0-100) of some numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function sumStats(all: ProducerStats[]): Omit<ProducerStats, 'latenciesMs'> & { latencies: number } {
  const total = { batches: 0, retries: 0, deduplicatedBatches: 0, deduplicatedEntries: 0, statuses: {} as Record<number, number>, networkErrors: 0, unexpected: [] as string[], latencies: 0, phasesCompleted: 0 };
  for (const s of all) {
    total.batches += s.batches;
    total.retries += s.retries;
    total.deduplicatedBatches += s.deduplicatedBatches;
    total.deduplicatedEntries += s.deduplicatedEntries;
    total.networkErrors += s.networkErrors;
    total.unexpected.push(...s.unexpected);
    total.latencies += s.latenciesMs.length;
    total.phasesCompleted += s.phasesCompleted;
    for (const [status, n] of Object.entries(s.statuses)) total.statuses[Number(status)] = (total.statuses[Number(status)] ?? 0) + n;
  }
  return total;
}
