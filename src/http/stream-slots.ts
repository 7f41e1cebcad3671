/**
 * Bounds on responses that stay open while a client reads them: downloads and live event streams.
 * A guard takes a slot before the handler runs and gives it back when the response closes, however
 * it ends (finished, client gone, error). Past a principal's share the answer is 429, past the
 * server's total 503, both with Retry-After: the client is told when to come back, not dropped.
 */
import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ConcurrencyLimiter, SlotRefusal } from './concurrency-limiter';
import { errorBody } from './error-body';

export type StreamKind = 'downloads' | 'events';

/** Seconds a refused client should wait: long responses end in seconds or are followed for minutes. */
const RETRY_AFTER_SECONDS: Record<StreamKind, number> = { downloads: 2, events: 5 };

@Injectable()
export class StreamSlots {
  readonly limiters: Record<StreamKind, ConcurrencyLimiter>;
  /** The responses holding a slot, so what waits in their buffers can be measured (metrics). */
  private readonly open: Record<StreamKind, Set<Response>> = { downloads: new Set(), events: new Set() };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiters = {
      // Downloads are bounded per principal only: each holds no database connection while its client reads.
      downloads: new ConcurrencyLimiter(config.downloadsMaxPerPrincipal, Number.MAX_SAFE_INTEGER),
      events: new ConcurrencyLimiter(config.sseMaxPerPrincipal, config.sseMaxConnections),
    };
  }

  /** Takes a slot for res until it closes; the refusal's reason when none is free. */
  acquire(kind: StreamKind, principalKey: string, res: Response): SlotRefusal | null {
    const release = this.limiters[kind].tryAcquire(principalKey);
    if (typeof release !== 'function') return release;
    this.open[kind].add(res);
    res.once('close', () => {
      this.open[kind].delete(res);
      release();
    });
    return null;
  }

  /** Bytes written to these responses that their clients have not taken yet (Node's buffers, not the kernel's). */
  bufferedBytes(kind: StreamKind): number {
    let bytes = 0;
    for (const res of this.open[kind]) bytes += res.writableLength + (res.socket?.writableLength ?? 0);
    return bytes;
  }
}

const STREAM_KIND = 'runlog:stream-kind';

/** Marks a route whose response is long-lived; StreamSlotGuard bounds how many are open. */
export const StreamSlot = (kind: StreamKind) => SetMetadata(STREAM_KIND, kind);

@Injectable()
export class StreamSlotGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly slots: StreamSlots,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const kind = this.reflector.get<StreamKind | undefined>(STREAM_KIND, context.getHandler());
    if (!kind) return true;
    const http = context.switchToHttp();
    const { principal } = http.getRequest<AuthenticatedRequest>();
    const res = http.getResponse<Response>();
    const limiter = this.slots.limiters[kind];
    const slot = this.slots.acquire(kind, principal ? `${principal.role}:${principal.sub}` : 'anonymous', res);
    if (slot === null) return true;
    const what = kind === 'downloads' ? 'downloads' : 'live event streams';
    const retryAfter = RETRY_AFTER_SECONDS[kind];
    res.setHeader('Retry-After', String(retryAfter));
    if (slot === 'principal') {
      throw new HttpException(
        errorBody(HttpStatus.TOO_MANY_REQUESTS, `too many ${what} in flight: at most ${limiter.maxPerKey} at once per principal; retry after ${retryAfter} s (Retry-After)`),
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    throw new HttpException(
      errorBody(HttpStatus.SERVICE_UNAVAILABLE, `the server holds its most ${what} (${limiter.maxTotal}); retry after ${retryAfter} s (Retry-After)`),
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
