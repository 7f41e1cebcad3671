/**
 * Heartbeats for the runs this process is executing (the in-process orchestrator): a job may be
 * quiet for longer than a lease, and a quiet run is not a dead one. Renews every third of a lease.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { RunLeases } from '../persistence/run-leases';

@Injectable()
export class LeaseKeeper implements OnApplicationShutdown {
  private readonly logger = new Logger(LeaseKeeper.name);
  private readonly held = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly leases: RunLeases,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hold(batchRunId: string): void {
    this.held.add(batchRunId);
    if (!this.timer) {
      this.timer = setInterval(() => void this.beat(), Math.max(250, (this.config.runLeaseSeconds * 1000) / 3));
      this.timer.unref();
    }
  }

  release(batchRunId: string): void {
    this.held.delete(batchRunId);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.held.clear();
  }

  private async beat(): Promise<void> {
    try {
      await this.leases.renew([...this.held]);
    } catch (error) {
      this.logger.warn(`lease heartbeat failed: ${(error as Error).message}`);
    }
  }
}
