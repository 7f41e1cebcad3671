/**
 * One run's log, as a producer writes it: `log()` buffers and returns at once; the handle numbers
 * every line (seq), ships them in order in batches (by count, bytes and time), retries a batch with
 * the same seqs until runlog has it (so a retry after a crash or an outage is stored once), sends
 * heartbeats while the producer is quiet, and flushes before a phase completes or the run finishes.
 * Nothing is dropped silently: a full buffer is an error thrown by `log()`, and a batch runlog
 * refuses stops the handle with that error, surfaced by `flush()`, `completePhase()` and `finish()`.
 */
import type { components } from './generated/openapi';
import { HttpOptions, request, RunlogHttpError } from './http';
import { entryBytes, Level, LEVELS, MAX_BATCH_BYTES, MAX_ENTRIES_PER_APPEND, MAX_PHASE_LENGTH, messageParts } from './limits';

export interface RunOptions {
  /** Ship at least this often while lines wait (ms). */
  flushIntervalMs: number;
  /** Lines kept in memory while runlog is away; past it log() throws BufferFullError. */
  maxBufferedLines: number;
  /** A heartbeat is sent when nothing has been sent for this long (ms); keep it under the server's RUN_LEASE_SECONDS. */
  heartbeatMs: number;
}

export interface LogOptions {
  phase?: string;
  /** When the line happened; default: when log() was called. */
  timestamp?: Date | string;
}

export interface PhaseCounts {
  completedJobs?: number;
  failedJobs?: number;
}

/** What the append route takes (generated from the OpenAPI document), with the seq always set. */
type PendingEntry = components['schemas']['LogEntryDto'] & { seq: number; level: Level; timestamp: string };

export class BufferFullError extends Error {
  constructor(limit: number) {
    super(`runlog client: ${limit} lines are waiting to be sent (maxBufferedLines); this line was not taken`);
    this.name = 'BufferFullError';
  }
}

export class RunHandle {
  private readonly pending: PendingEntry[] = [];
  private pendingBytes = 0;
  private nextSeq = 1;
  private shipping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly heartbeat: NodeJS.Timeout;
  private lastSentAt = Date.now();
  private failure: Error | null = null;
  private closed = false;

  constructor(
    readonly batchRunId: string,
    private readonly http: HttpOptions,
    private readonly options: RunOptions,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), Math.max(250, options.heartbeatMs / 4));
    this.heartbeat.unref();
  }

  private get path(): string {
    return `/api/v1/batch/runs/${encodeURIComponent(this.batchRunId)}`;
  }

  /** Lines taken but not yet acknowledged by runlog. */
  get unsent(): number {
    return this.pending.length;
  }

  /** Buffers a line and returns at once. Throws if the handle has stopped or the buffer is full. */
  log(level: Level, message: string, options: LogOptions = {}): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`runlog client: run ${this.batchRunId} is finished; no more lines`);
    if (!LEVELS.includes(level)) throw new TypeError(`level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
    if (options.phase !== undefined && (options.phase.length < 1 || options.phase.length > MAX_PHASE_LENGTH)) {
      throw new TypeError(`phase must be 1 to ${MAX_PHASE_LENGTH} characters`);
    }
    const parts = messageParts(String(message));
    if (this.pending.length + parts.length > this.options.maxBufferedLines) throw new BufferFullError(this.options.maxBufferedLines);
    const timestamp = options.timestamp === undefined ? new Date().toISOString() : new Date(options.timestamp).toISOString();
    for (const part of parts) {
      const entry: PendingEntry = { seq: this.nextSeq++, level, message: part, phase: options.phase, timestamp };
      this.pending.push(entry);
      this.pendingBytes += entryBytes(entry);
    }
    this.schedule();
  }

  /** Resolves once every line logged so far is stored; rejects with the error that stopped the handle. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.pending.length > 0 && !this.failure) {
      this.kick();
      await this.shipping;
    }
    await this.shipping;
    if (this.failure) throw this.failure;
  }

  async completePhase(phase: string, counts: PhaseCounts & { status?: 'completed' | 'failed' } = {}): Promise<void> {
    await this.flush();
    const body: components['schemas']['CompletePhaseDto'] = { completed_jobs: counts.completedJobs, failed_jobs: counts.failedJobs, status: counts.status };
    const answer = await request(this.http, 'POST', `${this.path}/phases/${encodeURIComponent(phase)}/complete`, body);
    this.lastSentAt = Date.now();
    if (answer.status !== 200) throw new RunlogHttpError(answer.status, answer.body, `completing phase ${phase}`);
  }

  async finish(status: 'completed' | 'failed' | 'partial', counts: PhaseCounts = {}): Promise<void> {
    await this.flush();
    const body: components['schemas']['FinishRunDto'] = { status, completed_jobs: counts.completedJobs, failed_jobs: counts.failedJobs };
    const answer = await request(this.http, 'POST', `${this.path}/finish`, body);
    if (answer.status !== 200) throw new RunlogHttpError(answer.status, answer.body, `finishing run ${this.batchRunId}`);
    this.close();
  }

  /** Stops the timers (a finished run's handle does this itself). Lines still unsent stay counted in `unsent`. */
  close(): void {
    this.closed = true;
    this.clearTimer();
    clearInterval(this.heartbeat);
  }

  private schedule(): void {
    if (this.pending.length >= MAX_ENTRIES_PER_APPEND || this.pendingBytes >= MAX_BATCH_BYTES) {
      this.kick();
    } else if (!this.timer && !this.shipping) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.options.flushIntervalMs);
      this.timer.unref();
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Starts the shipping loop unless it runs; one loop at a time keeps the batches in order. */
  private kick(): void {
    if (this.shipping || this.failure) return;
    this.clearTimer();
    this.shipping = this.ship()
      .catch((error: Error) => {
        this.failure = error;
      })
      .finally(() => {
        this.shipping = null;
        if (this.pending.length > 0 && !this.failure) this.schedule();
      });
  }

  private async ship(): Promise<void> {
    while (this.pending.length > 0) {
      let count = 0;
      let bytes = 0;
      while (count < this.pending.length && count < MAX_ENTRIES_PER_APPEND && (count === 0 || bytes + entryBytes(this.pending[count]) <= MAX_BATCH_BYTES)) {
        bytes += entryBytes(this.pending[count]);
        count += 1;
      }
      const batch = this.pending.slice(0, count);
      // The same seqs on every attempt: entries runlog already stored are skipped, so a retry stores each line once.
      const body: components['schemas']['AppendLogsDto'] = { entries: batch };
      const answer = await request(this.http, 'POST', `${this.path}/logs`, body);
      if (answer.status !== 201) {
        throw new RunlogHttpError(answer.status, answer.body, `appending ${count} lines (seq ${batch[0].seq}-${batch[count - 1].seq}) to run ${this.batchRunId}; ${this.pending.length} lines unsent`);
      }
      this.pending.splice(0, count);
      this.pendingBytes = Math.max(0, this.pendingBytes - bytes);
      this.lastSentAt = Date.now();
    }
  }

  private async beat(): Promise<void> {
    if (this.closed || this.failure || this.shipping || Date.now() - this.lastSentAt < this.options.heartbeatMs) return;
    this.lastSentAt = Date.now();
    // A heartbeat that does not get through is not retried for long: the next one follows.
    await request({ ...this.http, giveUpAfterMs: this.options.heartbeatMs }, 'POST', `${this.path}/heartbeat`).catch(() => undefined);
  }
}
