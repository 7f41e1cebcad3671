/**
 * The global gate: every route needs a valid bearer token unless marked @Public(), and a role from its
 * @Roles() list when it has one. Registered as APP_GUARD so a new controller is closed by default.
 */
import { CanActivate, ExecutionContext, ForbiddenException, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Principal, Role } from './principal';
import { IS_PUBLIC_KEY } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';
import { JwksUnavailableError, TokenRejectedError, TokenService } from './token.service';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    // Only HTTP is understood here; anything else is refused rather than let through unchecked.
    if (context.getType() !== 'http') return false;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    const principal = await this.authenticate(request, response);
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles?.length && !roles.includes(principal.role)) {
      closeIfBodyUnread(request, response);
      throw new ForbiddenException(`requires role ${roles.join(' or ')}; the token has role ${principal.role}`);
    }
    return true;
  }

  private async authenticate(request: Request, response: Response): Promise<Principal> {
    // Another scheme (Basic ...) counts as no bearer token; "Bearer a b" is a malformed, so invalid, one.
    const [scheme, ...rest] = request.headers.authorization?.trim().split(/\s+/) ?? [];
    if (scheme?.toLowerCase() !== 'bearer' || rest.length === 0) throw unauthorized(request, response, 'missing bearer token');
    if (rest.length > 1) throw unauthorized(request, response, 'invalid token');
    try {
      return await this.tokens.verify(rest[0]);
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw unavailable(request, response, error);
      if (error instanceof TokenRejectedError && error.reason === 'expired') throw unauthorized(request, response, 'token expired');
      if (error instanceof TokenRejectedError && error.reason === 'no_role') {
        // Who the caller is was proven: a 403 (and no WWW-Authenticate), so a client does not ask for another token.
        closeIfBodyUnread(request, response);
        throw new ForbiddenException(`${error.message}: it maps to none of admin, user, service`);
      }
      // The precise cause (bad signature, wrong alg, missing claim) is not echoed: no oracle for forgers.
      throw unauthorized(request, response, 'invalid token');
    }
  }
}

/** RFC 6750: a 401 names the scheme, and says invalid_token when a token was sent but refused. */
function unauthorized(request: Request, response: Response, message: string): UnauthorizedException {
  closeIfBodyUnread(request, response);
  response.setHeader('WWW-Authenticate', message === 'missing bearer token' ? 'Bearer' : 'Bearer error="invalid_token"');
  return new UnauthorizedException(message);
}

/**
 * The provider's keys could not be fetched: the token is neither good nor bad yet, so neither a 401
 * (the client would throw a good token away) nor a 500. Retry-After: when runlog will fetch again.
 */
export function unavailable(request: Request, response: Response, error: JwksUnavailableError): ServiceUnavailableException {
  closeIfBodyUnread(request, response);
  response.setHeader('Retry-After', String(Math.max(1, error.retryAfterSeconds)));
  return new ServiceUnavailableException('the identity provider\'s keys cannot be fetched now; retry later (Retry-After)');
}

/**
 * A refused request's body is never read: no body parser runs before this guard (JsonBodyGuard reads
 * a body only after it). Node would still read and discard the body to keep the connection for the
 * next request; "Connection: close" ends the connection after the answer instead, so a caller without
 * a valid token cannot make runlog take in its upload, however large it announces it.
 */
function closeIfBodyUnread(request: Request, response: Response): void {
  const announcesBody = request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] ?? '0') !== '0';
  if (announcesBody && !request.complete) response.setHeader('Connection', 'close');
}
