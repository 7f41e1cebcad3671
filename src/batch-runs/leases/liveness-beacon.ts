/**
 * Runlog's own downtime is not a producer's silence. Every instance beats the one liveness row
 * (RunLeases.beat) every beatEveryMs; a beat that finds the row older than downAfterMs knows that
 * no instance was up to accept writes since, and gives the leases of running runs that time back.
 * With several instances, any live one keeps the row fresh, so only the time when none was up is
 * credited. A database outage is such a time too: beats fail while it lasts, and the first one to
 * get through after it credits the whole gap.
 *
 * The first beat is awaited at bootstrap, before the app listens, and the sweeper beats before
 * every sweep, so no sweep judges a lease before the downtime that preceded it has been credited.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { RunLeases } from '../persistence/run-leases';

/** How often the sweeper looks for expired leases: a quarter of a lease, at least a second. */
export function sweepEveryMs(leaseSeconds: number): number {
  return Math.max(1000, (leaseSeconds * 1000) / 4);
}

/** How often an instance beats: four times per sweep, and at least every second (a missed credit is at most downAfterMs). */
export function beatEveryMs(leaseSeconds: number): number {
  return Math.min(1000, sweepEveryMs(leaseSeconds) / 4);
}

/**
 * A gap between beats longer than this is downtime: four beat intervals, so a beat delayed by a
 * busy event loop or pool is not mistaken for one (and if it is, the credit is bounded by a lease).
 * A downtime shorter than this is not credited.
 */
export function downAfterMs(leaseSeconds: number): number {
  return 4 * beatEveryMs(leaseSeconds);
}

@Injectable()
export class LivenessBeacon implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LivenessBeacon.name);
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<boolean> | null = null;
  /** Whether the last beat failed: failures are logged once per outage, not once per beat. */
  private failing = false;

  constructor(
    private readonly leases: RunLeases,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat(); // before the app accepts writes; a failure here is retried by the timer
    this.timer = setInterval(() => void this.beat(), beatEveryMs(this.config.runLeaseSeconds));
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
  }

  /** One beat (joins the one in flight); resolves true when it reached the database. Never rejects. */
  beat(): Promise<boolean> {
    this.beating ??= this.beatOnce().finally(() => (this.beating = null));
    return this.beating;
  }

  private async beatOnce(): Promise<boolean> {
    try {
      const gap = await this.leases.beat(downAfterMs(this.config.runLeaseSeconds) / 1000);
      if (this.failing) this.logger.log('liveness beat reaches the database again');
      this.failing = false;
      if (gap) {
        this.logger.warn(
          `no runlog instance was alive for ${gap.seconds.toFixed(1)} s: ${gap.shiftedLeases} lease(s) of running runs extended by that time`,
        );
      }
      return true;
    } catch (error) {
      if (!this.failing) this.logger.warn(`liveness beat failed (retried every beat): ${(error as Error).message}`);
      this.failing = true;
      return false;
    }
  }
}
