/**
 * Finishes runs whose writer died. Every instance sweeps (and once right at start), so a run is
 * finished by whichever survives, or by the next start; the decider makes a second interrupt of
 * the same run a no-op, and optimistic concurrency keeps two sweepers from both writing. Each sweep
 * beats first (LivenessBeacon), so time when no runlog was up is credited to leases before any is judged.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { InterruptBatchRunCommand } from '../commands/interrupt-batch-run/interrupt-batch-run.command';
import { RunLeases } from '../persistence/run-leases';
import { DurableDispatcher } from '../spool/durable-dispatcher';
import { LivenessBeacon, sweepEveryMs } from './liveness-beacon';

export interface SweepStats {
  /** Sweeps that judged the leases. */
  swept: number;
  /** Sweeps that judged nothing: the spool was not replayed yet, or the liveness beat could not reach the database. */
  skipped: number;
  /** Sweeps that failed (the database went away meanwhile). */
  failed: number;
  /** Runs this instance finished as failed because their lease expired. */
  interrupted: number;
}

@Injectable()
export class LeaseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaseSweeper.name);
  /** Counted for metrics (read when they are scraped). */
  readonly stats: SweepStats = { swept: 0, skipped: 0, failed: 0, interrupted: 0 };
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(
    private readonly leases: RunLeases,
    private readonly commandBus: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly spool: DurableDispatcher,
    private readonly beacon: LivenessBeacon,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), sweepEveryMs(this.config.runLeaseSeconds));
    this.timer.unref();
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Interrupts every expired run it finds; returns how many it finished. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce()
      .catch((error) => {
        this.stats.failed += 1;
        this.logger.warn(`lease sweep failed: ${(error as Error).message}`); // the database may be down; next time
        return 0;
      })
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    // Spooled lines may belong to a run that looks abandoned: replay them before judging any run.
    if (this.spool.pending) return this.skipped();
    // A beat that cannot reach the database means nobody can write: judge no lease until one gets through.
    if (!(await this.beacon.beat())) return this.skipped();
    let finished = 0;
    for (const lease of await this.leases.findExpired()) {
      const reason =
        `run interrupted: its writer (${lease.owner ?? 'unknown'}) stopped without finishing it; ` +
        `lease expired at ${lease.expiredAt} (RUN_LEASE_SECONDS=${this.config.runLeaseSeconds}); finished as failed by runlog ${this.leases.instanceId}`;
      const { events } = await this.commandBus.execute(new InterruptBatchRunCommand({ batchRunId: lease.batchRunId, reason }));
      if (events.length > 0) {
        finished += 1;
        this.stats.interrupted += 1;
        this.logger.warn(`batch run ${lease.batchRunId} interrupted: lease expired at ${lease.expiredAt}`);
      }
    }
    this.stats.swept += 1;
    return finished;
  }

  private skipped(): number {
    this.stats.skipped += 1;
    return 0;
  }
}
