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

@Injectable()
export class LeaseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaseSweeper.name);
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
        this.logger.warn(`lease sweep failed: ${(error as Error).message}`); // the database may be down; next time
        return 0;
      })
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    // Spooled lines may belong to a run that looks abandoned: replay them before judging any run.
    if (this.spool.pending) return 0;
    // A beat that cannot reach the database means nobody can write: judge no lease until one gets through.
    if (!(await this.beacon.beat())) return 0;
    let finished = 0;
    for (const lease of await this.leases.findExpired()) {
      const reason =
        `run interrupted: its writer (${lease.owner ?? 'unknown'}) stopped without finishing it; ` +
        `lease expired at ${lease.expiredAt} (RUN_LEASE_SECONDS=${this.config.runLeaseSeconds}); finished as failed by runlog ${this.leases.instanceId}`;
      const { events } = await this.commandBus.execute(new InterruptBatchRunCommand({ batchRunId: lease.batchRunId, reason }));
      if (events.length > 0) {
        finished += 1;
        this.logger.warn(`batch run ${lease.batchRunId} interrupted: lease expired at ${lease.expiredAt}`);
      }
    }
    return finished;
  }
}
