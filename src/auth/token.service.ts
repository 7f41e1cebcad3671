/** Issues and checks runlog's bearer tokens: HS256 JWTs carrying exactly `sub` and `role`. */
import { Injectable } from '@nestjs/common';
import { JwtService, JwtSignOptions, JwtVerifyOptions, TokenExpiredError } from '@nestjs/jwt';
import { isRole, Principal, Role } from './principal';

export type Ttl = string | number;

export interface IssueTokenInput {
  sub: string;
  role: Role;
  /** Seconds (number or digits-only string) or a timespan like '1h', '7d'. Default '1h'. */
  ttl?: Ttl;
}

export const DEFAULT_TTL = '1h';

/** Pinned on every verify so a token cannot choose its own algorithm (`none`, RS256 with the secret as key...). */
export const JWT_ALGORITHMS: JwtVerifyOptions['algorithms'] = ['HS256'];

/** Why a token was refused; the guard turns it into a 401 message. */
export class TokenRejectedError extends Error {
  constructor(readonly reason: 'expired' | 'invalid', detail: string) {
    super(detail);
    this.name = 'TokenRejectedError';
  }
}

@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(input: IssueTokenInput): Promise<string> {
    return signWith(this.jwt, input);
  }

  async verify(token: string): Promise<Principal> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync(token, { algorithms: JWT_ALGORITHMS });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new TokenRejectedError('expired', 'token expired');
      throw new TokenRejectedError('invalid', error instanceof Error ? error.message : String(error));
    }
    const claims = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
    if (typeof claims.sub !== 'string' || claims.sub.trim() === '') throw new TokenRejectedError('invalid', 'sub claim missing');
    if (!isRole(claims.role)) throw new TokenRejectedError('invalid', 'role claim missing or unknown');
    // Only the two claims we vouch for: nothing else a token carries leaks into the principal.
    return { sub: claims.sub, role: claims.role };
  }
}

/** For code without Nest (the token CLI): the same signing as TokenService.issue. */
export function signToken(secret: string, input: IssueTokenInput): Promise<string> {
  return signWith(new JwtService({ secret }), input);
}

async function signWith(jwt: JwtService, { sub, role, ttl = DEFAULT_TTL }: IssueTokenInput): Promise<string> {
  if (typeof sub !== 'string' || sub.trim() === '') throw new Error('sub must be a non-empty string');
  if (!isRole(role)) throw new Error(`role must be admin, user or service, got ${JSON.stringify(role)}`);
  return jwt.signAsync({ sub, role }, { algorithm: 'HS256', expiresIn: expiresIn(ttl) });
}

/** jsonwebtoken reads a unitless string as milliseconds ("3600" = 3.6 s); treat digits as seconds instead. */
function expiresIn(ttl: Ttl): NonNullable<JwtSignOptions['expiresIn']> {
  const value = typeof ttl === 'string' && /^\d+$/.test(ttl.trim()) ? Number(ttl) : ttl;
  if (typeof value === 'number' ? !(Number.isFinite(value) && value > 0) : value.trim() === '' || value.trim().startsWith('-')) {
    throw new Error(`ttl must be a positive number of seconds or a timespan like 1h, got ${JSON.stringify(ttl)}`);
  }
  return value as NonNullable<JwtSignOptions['expiresIn']>;
}
