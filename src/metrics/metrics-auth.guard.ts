/**
 * Who may scrape GET /metrics: an admin bearer token, as for the admin routes, or the static
 * METRICS_TOKEN when it is set (a scraper's secret, so Prometheus needs no JWT that expires within
 * AUTH_MAX_TOKEN_TTL). The route is @Public() for the global AuthGuard, which would refuse the static
 * secret as a malformed JWT; this guard answers 401/403 the way AuthGuard does.
 */
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'crypto';
import type { Request, Response } from 'express';
import { unavailable } from '../auth/auth.guard';
import { JwksUnavailableError, TokenRejectedError, TokenService } from '../auth/token.service';
import { APP_CONFIG, AppConfig } from '../config/app.config';

@Injectable()
export class MetricsAuthGuard implements CanActivate {
  /** Digest of METRICS_TOKEN: compared digest to digest, in constant time, whatever the length sent. */
  private readonly metricsTokenDigest: Buffer | null;

  constructor(
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.metricsTokenDigest = config.metricsToken === null ? null : digest(config.metricsToken);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const [scheme, ...rest] = request.headers.authorization?.trim().split(/\s+/) ?? [];
    if (scheme?.toLowerCase() !== 'bearer' || rest.length === 0) throw unauthorized(response, 'missing bearer token');
    if (rest.length > 1) throw unauthorized(response, 'invalid token');
    const token = rest[0];
    if (this.metricsTokenDigest && timingSafeEqual(digest(token), this.metricsTokenDigest)) return true;
    let role: string;
    try {
      role = (await this.tokens.verify(token)).role;
    } catch (error) {
      // The identity provider's keys out of reach: a 503 as on every route, not a 401 for a token that may be good.
      if (error instanceof JwksUnavailableError) throw unavailable(request, response, error);
      if (error instanceof TokenRejectedError && error.reason === 'expired') throw unauthorized(response, 'token expired');
      if (error instanceof TokenRejectedError && error.reason === 'no_role') throw new ForbiddenException(`${error.message}: it maps to none of admin, user, service`);
      throw unauthorized(response, 'invalid token');
    }
    if (role !== 'admin') throw new ForbiddenException(`requires role admin (or METRICS_TOKEN); the token has role ${role}`);
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function unauthorized(response: Response, message: string): UnauthorizedException {
  response.setHeader('WWW-Authenticate', message === 'missing bearer token' ? 'Bearer' : 'Bearer error="invalid_token"');
  return new UnauthorizedException(message);
}
