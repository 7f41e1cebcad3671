/**
 * Follows one run's event stream: every stored event after a version, in order, then the new ones
 * as they are committed (by this instance or another on the same database), until the run finishes.
 * Events are always read from the store by version, so nothing is skipped or repeated; notifications
 * only say when to look, and a slow poll covers a notification that never came.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { setTimeout as sleep } from 'timers/promises';
import { PG_READ_POOL } from '../../database/pg-pool';
import { EventNotifier } from '../persistence/event-notifier';
import { EventStore, RawRunEvent } from '../persistence/event-store';
import { RunReadRepository } from '../persistence/run-read.repository';

/** The longest a follower waits without a notification before it looks anyway. */
const SAFETY_POLL_MS = 2000;

export interface FollowOptions {
  /** Replay the events stored before the follow began at this many times their original pace. */
  speed?: number;
  signal?: AbortSignal;
}

@Injectable()
export class RunEventFollower {
  constructor(
    @Inject(PG_READ_POOL) private readonly pool: Pool,
    private readonly events: EventStore,
    private readonly runs: RunReadRepository,
    private readonly notifier: EventNotifier,
  ) {}

  /** Yields events as stored JSON text; the caller passes them on (it is not parsed here). */
  async *follow(streamId: string, afterVersion: number, options: FollowOptions = {}): AsyncIterable<RawRunEvent> {
    let changed = true;
    let wake: (() => void) | null = null;
    // Subscribe before the first read: a commit between that read and the wait still wakes us.
    const subscription = this.notifier.changesOf(streamId).subscribe(() => {
      changed = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    options.signal?.addEventListener('abort', onAbort);
    try {
      const storedUpTo = (await this.runs.findRun(streamId))?.stream_version ?? 0;
      let last = afterVersion;
      let previousAt: number | null = null;
      while (!options.signal?.aborted) {
        changed = false;
        // A follower holds one bounded page while its client reads: that, not the run's size, is what a slow client costs.
        const page = await this.events.readPage(this.pool, streamId, last);
        for (const event of page) {
          if (options.speed && event.version <= storedUpTo) {
            const at = Date.parse(event.occurredAt);
            if (previousAt !== null && at > previousAt) await sleep((at - previousAt) / options.speed, undefined, { signal: options.signal }).catch(() => undefined);
            previousAt = at;
          }
          if (options.signal?.aborted) return;
          yield event;
          last = event.version;
          if (event.type === 'BatchRunFinished') return;
        }
        // Pages are bounded in size, so a page with events may not be the last: look again before waiting.
        if (page.length > 0 || changed) continue;
        if (await this.isFinishedAt(streamId, last)) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, SAFETY_POLL_MS).unref();
        });
        wake = null;
      }
    } finally {
      subscription.unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A follower that resumes after a finished run's last event has nothing more to wait for. */
  private async isFinishedAt(streamId: string, version: number): Promise<boolean> {
    const run = await this.runs.findRun(streamId);
    return run !== null && run.status !== 'running' && version >= run.stream_version;
  }
}
