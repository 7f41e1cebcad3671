/**
 * Sends one run's log lines as AppendLogEntries commands, one command in flight at a time: lines
 * logged while a command is in flight travel together in the next. Order is kept, nothing is sent
 * twice, and each line's promise settles when its command commits (or fails).
 */
import { CommandBus } from '@nestjs/cqrs';
import { AppendLogEntriesCommand } from '../batch-runs/commands/append-log-entries/append-log-entries.command';
import { NewLogEntry } from '../batch-runs/domain/run.commands';

interface Line {
  entry: NewLogEntry;
  resolve(): void;
  reject(error: unknown): void;
}

export class RunLogWriter {
  private buffer: Line[] = [];
  private inFlight: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly commandBus: CommandBus,
    readonly batchRunId: string,
  ) {}

  log(entry: NewLogEntry): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => this.buffer.push({ entry, resolve, reject }));
    promise.catch(() => undefined); // a job need not await its lines: a failure surfaces at flush()
    if (!this.inFlight) this.inFlight = this.pump();
    return promise;
  }

  /** Waits for every line logged so far; throws if any of them could not be stored. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.failure) throw this.failure;
  }

  private async pump(): Promise<void> {
    try {
      while (this.buffer.length > 0) {
        const lines = this.buffer;
        this.buffer = [];
        try {
          await this.commandBus.execute(
            new AppendLogEntriesCommand({ batchRunId: this.batchRunId, entries: lines.map((l) => l.entry) }),
          );
          lines.forEach((l) => l.resolve());
        } catch (error) {
          this.failure ??= error;
          lines.forEach((l) => l.reject(error));
        }
      }
    } finally {
      this.inFlight = null;
    }
  }
}
