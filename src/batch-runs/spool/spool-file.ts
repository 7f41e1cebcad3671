/**
 * The spool on disk: an append-only NDJSON file of run commands in RUNLOG_DATA_DIR. A record is
 * acknowledged only after fdatasync, so a line the orchestrator was told is safe survives a crash
 * of the process or the machine. Bounded by RUNLOG_SPOOL_MAX_BYTES.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { RunCommand } from '../domain/run.commands';

export class SpoolFullError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the spool is full (RUNLOG_SPOOL_MAX_BYTES=${maxBytes}): the database has been unavailable too long`);
    this.name = 'SpoolFullError';
  }
}

export class SpoolFile {
  private size = 0;
  private opened: Promise<void> | null = null;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
  ) {}

  /** The bytes spooled and not yet drained. */
  get bytes(): number {
    return this.size;
  }

  async append(command: RunCommand): Promise<void> {
    await this.open();
    const line = Buffer.from(`${JSON.stringify(command)}\n`, 'utf8');
    if (this.size + line.length > this.maxBytes) throw new SpoolFullError(this.maxBytes);
    const handle = await fs.open(this.file, 'a');
    try {
      await handle.write(line);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.size += line.length;
  }

  /** Every spooled command, oldest first. A torn last line (a crash mid-write) was never acknowledged: skipped. */
  async readAll(): Promise<RunCommand[]> {
    await this.open();
    const text = await fs.readFile(this.file, 'utf8').catch(() => '');
    const commands: RunCommand[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        commands.push(JSON.parse(line) as RunCommand);
      } catch {
        // only the unacknowledged tail can be torn
      }
    }
    return commands;
  }

  /** Empties the file once every record in it is committed. */
  async clear(): Promise<void> {
    await this.open();
    await fs.truncate(this.file, 0);
    this.size = 0;
  }

  private open(): Promise<void> {
    this.opened ??= (async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      this.size = (await fs.stat(this.file).catch(() => ({ size: 0 }))).size;
    })();
    return this.opened;
  }
}
