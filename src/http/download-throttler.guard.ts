import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { createHash } from 'crypto';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { errorBody } from './error-body';

/**
 * Download rate limit per principal (RATE_LIMIT_DOWNLOADS_PER_MINUTE), not per IP: many users behind
 * one proxy do not share a budget, and one token cannot dodge it by changing address. Runs after the
 * global AuthGuard, so the principal is known; 429 comes with Retry-After.
 */
@Injectable()
export class DownloadThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthenticatedRequest).principal;
    return principal ? `${principal.role}:${principal.sub}` : `ip:${String(req.ip)}`;
  }

  /**
   * One budget per principal across every download route (the owner's and the admin's), not one per
   * route as ThrottlerGuard's default key (controller + handler) would give: that would double it.
   */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return createHash('sha256').update(`downloads-${throttlerName}-${tracker}`).digest('hex');
  }

  /** The one error body (error-body.ts), saying what the limit is and when to retry. */
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      errorBody(
        HttpStatus.TOO_MANY_REQUESTS,
        `too many downloads: at most ${detail.limit} per minute per principal; retry after ${detail.timeToBlockExpire} s (Retry-After)`,
      ),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
