/**
 * How the in-process orchestrator's commands reach the store even while PostgreSQL is down:
 * a command that cannot be committed is retried with backoff; beyond SPOOL_AFTER_MS it is written
 * to the fsynced spool file instead, and from then on every command goes to the spool (so per-run
 * order holds) until a drainer has replayed the spool, in order, into the database. Replays are
 * idempotent: appends carry explicit seqs and phase/finish commands repeat harmlessly.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import * as path from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { isDatabaseUnavailable } from '../../database/database-errors';
import { toCqrsCommand } from '../commands/run-command.mapper';
import { RunCommand } from '../domain/run.commands';
import { RunRuleError } from '../domain/run.errors';
import { CommitResult } from '../persistence/group-committer';
import { SpoolFile } from './spool-file';

export type Delivery = { delivered: 'committed'; result: CommitResult } | { delivered: 'spooled' };

const MAX_BACKOFF_MS = 2000;

@Injectable()
export class DurableDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DurableDispatcher.name);
  private readonly spool: SpoolFile;
  /** Whether commands must go to the spool (it holds records the database has not yet taken). */
  private spooling = false;
  private draining: Promise<void> | null = null;
  private stopped = false;
  /** Commands to send once the spool is empty: the failures of runs whose lines could not be spooled. */
  private readonly afterDrain: RunCommand[] = [];
  /** Serialises spool appends with the drainer's check-and-empty, so no record lands in a file being cleared. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.spool = new SpoolFile(path.join(config.dataDir, 'spool', `commands.ndjson`), config.spoolMaxBytes);
  }

  /** A spool left by an earlier life of this process is drained first thing. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.spool.readAll()).length > 0) {
      this.logger.warn(`draining ${this.spool.bytes} bytes spooled before the last stop`);
      this.spooling = true;
      this.startDrain();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true; // what is still spooled stays on disk for the next start
  }

  /** Whether anything is waiting in the spool (the lease sweeper holds off until it is replayed). */
  get pending(): boolean {
    return this.spooling || this.afterDrain.length > 0;
  }

  get spooledBytes(): number {
    return this.spool.bytes;
  }

  /** Resolves once the command is committed or durably spooled; rule errors and a full spool reject. */
  async dispatch(command: RunCommand): Promise<Delivery> {
    if (this.spooling) return this.toSpool(command);
    const giveUpAt = Date.now() + this.config.spoolAfterMs;
    for (let backoff = 50; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        return { delivered: 'committed', result: await this.commandBus.execute(toCqrsCommand(command)) };
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        if (this.spooling || Date.now() + backoff > giveUpAt) return this.toSpool(command);
        await sleep(backoff);
      }
    }
  }

  /** Records a run's failure to be committed as soon as the database (and the spool before it) allows. */
  failLater(batchRunId: string, reason: string): void {
    this.afterDrain.push({ kind: 'interrupt', input: { batchRunId, reason } });
    this.spooling = true;
    this.startDrain();
  }

  /** Resolves when nothing is spooled or queued (tests, shutdown). */
  async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async toSpool(command: RunCommand): Promise<Delivery> {
    await this.locked(async () => {
      await this.spool.append(command); // throws SpoolFullError past RUNLOG_SPOOL_MAX_BYTES
      if (!this.spooling) this.logger.warn('database unavailable: spooling commands to disk');
      this.spooling = true;
    });
    this.startDrain();
    return { delivered: 'spooled' };
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private startDrain(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.spooling && !this.stopped) this.startDrain(); // a record arrived as the drainer finished
    });
  }

  private async drain(): Promise<void> {
    let done = 0;
    while (!this.stopped) {
      const records = await this.spool.readAll();
      for (const record of records.slice(done)) {
        await this.deliver(record);
        done += 1;
        if (this.stopped) return;
      }
      const empty = await this.locked(async () => {
        if ((await this.spool.readAll()).length !== done) return false; // more arrived meanwhile: replay them first
        await this.spool.clear();
        done = 0;
        if (this.afterDrain.length > 0) return false;
        this.spooling = false;
        return true;
      });
      if (empty) {
        this.logger.log('spool drained: commands go straight to the database again');
        return;
      }
      while (this.afterDrain.length > 0 && !this.stopped) await this.deliver(this.afterDrain.shift()!);
    }
  }

  /** Commits one record, waiting out the outage; a record the rules refuse (already applied) is skipped. */
  private async deliver(record: RunCommand): Promise<void> {
    for (let backoff = 100; !this.stopped; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        await this.commandBus.execute(toCqrsCommand(record));
        return;
      } catch (error) {
        if (error instanceof RunRuleError) {
          this.logger.warn(`spooled ${record.kind} for ${record.input.batchRunId} refused: ${error.message}`);
          return;
        }
        if (!isDatabaseUnavailable(error)) this.logger.warn(`replaying the spool: ${(error as Error).message}`);
        await sleep(backoff);
      }
    }
  }
}
