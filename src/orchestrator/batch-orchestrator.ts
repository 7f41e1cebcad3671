/**
 * Runs a declared batch and reports everything through the CommandBus: start, progress lines, each
 * phase's end with its job counts, and the finish. It builds commands only; the rules live in the
 * decider. A job that throws logs an error with its message and fails its phase; the batch then
 * finishes as failed, or continues and finishes as partial when it is declared to continue.
 */
import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { Clock } from '../common/clock';
import { LeaseKeeper } from '../batch-runs/leases/lease-keeper';
import { RunRuleError } from '../batch-runs/domain/run.errors';
import { DurableDispatcher } from '../batch-runs/spool/durable-dispatcher';
import { SpoolFullError } from '../batch-runs/spool/spool-file';
import { LogLevel } from '../batch-runs/domain/run.types';
import { BatchDefinition, BatchOutcome, BatchRunOptions, JobContext, PhaseDefinition } from './batch-definition';
import { RunLogWriter } from './run-log.writer';

export interface StartedBatch {
  batchRunId: string;
  /** Settles when the run is finished and stored. */
  done: Promise<BatchOutcome>;
}

@Injectable()
export class BatchOrchestrator {
  private readonly logger = new Logger(BatchOrchestrator.name);
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly dispatcher: DurableDispatcher,
    private readonly clock: Clock,
    private readonly leases: LeaseKeeper,
  ) {}

  /** Starts the run (resolves once it is stored) and carries on in the background. */
  async start(batch: BatchDefinition, options: BatchRunOptions = {}): Promise<StartedBatch> {
    const batchRunId = options.batchRunId ?? generateBatchRunId(this.clock.now());
    await this.dispatcher.dispatch({
      kind: 'start',
      input: {
        batchRunId,
        portfolioId: options.portfolioId ?? null,
        ownerId: options.ownerId ?? null,
        totalJobs: batch.phases.reduce((n, p) => n + p.jobs.length, 0),
        phases: batch.phases.map((p) => p.name),
        ...(options.onboarding ? { onboarding: true } : {}),
      },
    });
    this.leases.hold(batchRunId); // quiet jobs are not dead ones: heartbeat until the run is finished
    const done = this.execute(batch, batchRunId).finally(() => this.leases.release(batchRunId));
    this.running.add(done);
    done.catch((error) => this.logger.error(`batch ${batchRunId} stopped: ${(error as Error).message}`));
    done.finally(() => this.running.delete(done)).catch(() => undefined);
    return { batchRunId, done };
  }

  async run(batch: BatchDefinition, options: BatchRunOptions = {}): Promise<BatchOutcome> {
    return (await this.start(batch, options)).done;
  }

  /** Waits for every batch this orchestrator started (used on shutdown and in tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async execute(batch: BatchDefinition, batchRunId: string): Promise<BatchOutcome> {
    const writer = new RunLogWriter(this.dispatcher, batchRunId);
    try {
      return await this.executePhases(batch, batchRunId, writer);
    } catch (error) {
      if (error instanceof RunRuleError) throw error;
      // The lines could not be made durable (the spool filled up during a long outage): stop the batch
      // and have the run finished as failed, saying so, as soon as the database takes writes again.
      const why = error instanceof SpoolFullError ? error.message : `its commands could not be stored: ${(error as Error).message}`;
      this.dispatcher.failLater(batchRunId, `run failed: ${why}; log lines after seq ${writer.lastSeq} were not stored`);
      throw error;
    }
  }

  private async executePhases(batch: BatchDefinition, batchRunId: string, writer: RunLogWriter): Promise<BatchOutcome> {
    let completedJobs = 0;
    let failedJobs = 0;
    for (const phase of batch.phases) {
      const result = await this.runPhase(phase, batchRunId, writer);
      completedJobs += result.completed;
      failedJobs += result.failed;
      await this.dispatcher.dispatch({
        kind: 'completePhase',
        input: {
          batchRunId,
          phase: phase.name,
          completedJobs: result.completed,
          failedJobs: result.failed,
          status: result.failed > 0 ? 'failed' : 'completed',
        },
      });
      if (result.failed > 0 && !batch.continueOnFailure) {
        return this.finish(batchRunId, 'failed', completedJobs, failedJobs);
      }
    }
    return this.finish(batchRunId, failedJobs > 0 ? 'partial' : 'completed', completedJobs, failedJobs);
  }

  private async runPhase(phase: PhaseDefinition, batchRunId: string, writer: RunLogWriter) {
    const log = (level: LogLevel) => (message: string) =>
      writer.log({ level, message, phase: phase.name, timestamp: this.clock.now() });
    const ctx: JobContext = { batchRunId, phase: phase.name, info: log('info'), warn: log('warning'), error: log('error') };
    let completed = 0;
    let failed = 0;
    ctx.info(`Starting ${phase.name} (${phase.jobs.length} job${phase.jobs.length === 1 ? '' : 's'})`);
    for (const job of phase.jobs) {
      try {
        await job.run(ctx);
        completed += 1;
      } catch (error) {
        failed += 1;
        ctx.error(`Job ${job.name} failed: ${errorMessage(error)}`);
        break; // a failed job fails its phase; the phase's remaining jobs do not run
      }
    }
    ctx[failed > 0 ? 'error' : 'info'](`${phase.name} ${failed > 0 ? 'failed' : 'completed'}: ${completed} job(s) done, ${failed} failed`);
    await writer.flush(); // every line of the phase is stored before the phase is reported complete
    return { completed, failed };
  }

  private async finish(batchRunId: string, status: BatchOutcome['status'], completedJobs: number, failedJobs: number) {
    await this.dispatcher.dispatch({ kind: 'finish', input: { batchRunId, status, completedJobs, failedJobs } });
    return { batchRunId, status, completedJobs, failedJobs };
  }
}

/** batch_YYYYMMDD_HHMMSS_xxxx: sortable by start time, unique with the random suffix. */
export function generateBatchRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `batch_${stamp}_${randomBytes(2).toString('hex')}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
