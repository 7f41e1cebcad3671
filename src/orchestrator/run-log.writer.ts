/**
 * Sends one run's log lines, one command in flight at a time: lines logged while a command is in
 * flight travel together in the next. Each line gets its seq here, from the run's own count, so a
 * retried or replayed command is idempotent. A line's promise settles when it is durable: committed,
 * or fsynced to the spool while the database is down.
 */
import { NewLogEntry } from '../batch-runs/domain/run.commands';
import { DurableDispatcher } from '../batch-runs/spool/durable-dispatcher';

interface Line {
  entry: NewLogEntry;
  resolve(): void;
  reject(error: unknown): void;
}

export class RunLogWriter {
  private buffer: Line[] = [];
  /** The pump sending the buffer, or null when idle. Only pump() itself clears it, on its way out. */
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;
  private nextSeq = 1;

  constructor(
    private readonly dispatcher: Pick<DurableDispatcher, 'dispatch'>,
    readonly batchRunId: string,
  ) {}

  /** The seq of the last line made durable. */
  get lastSeq(): number {
    return this.nextSeq - 1 - this.buffer.length;
  }

  log(entry: NewLogEntry): Promise<void> {
    // After a failure nothing more is sent (later lines would leave a gap in the seqs): refuse at once.
    if (this.failure) return rejectedQuietly(this.failure);
    const promise = new Promise<void>((resolve, reject) => this.buffer.push({ entry, resolve, reject }));
    promise.catch(() => undefined); // a job need not await its lines: a failure surfaces at flush()
    this.inFlight ??= this.pump();
    return promise;
  }

  /** Waits for every line logged so far; throws if any of them could not be stored. */
  async flush(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async pump(): Promise<void> {
    // Yield before anything else, so the caller has stored this promise in inFlight before the
    // finally below clears it: a pump that ended synchronously would leave a settled promise there
    // for ever, and flush() used to spin on it without yielding to the event loop.
    await Promise.resolve();
    try {
      while (this.buffer.length > 0 && !this.failure) {
        const lines = this.buffer;
        this.buffer = [];
        const entries = lines.map((l, i) => ({ ...l.entry, seq: this.nextSeq + i }));
        try {
          await this.dispatcher.dispatch({ kind: 'append', input: { batchRunId: this.batchRunId, entries } });
          this.nextSeq += entries.length;
          lines.forEach((l) => l.resolve());
        } catch (error) {
          this.failure = error;
          lines.forEach((l) => l.reject(error));
        }
      }
      for (const l of this.buffer.splice(0)) l.reject(this.failure);
    } finally {
      this.inFlight = null;
    }
  }
}

function rejectedQuietly(error: unknown): Promise<void> {
  const promise = Promise.reject(error);
  promise.catch(() => undefined);
  return promise;
}
