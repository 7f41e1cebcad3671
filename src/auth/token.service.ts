/**
 * Issues and checks bearer tokens. runlog's own: HS256 JWTs carrying exactly `sub` and `role`. The
 * identity provider's (when a JWKS is configured): asymmetric JWTs whose role comes from AUTH_ROLE_CLAIM
 * through AUTH_ROLE_MAP. Both: `exp` required and the lifetime bounded by AUTH_MAX_TOKEN_TTL.
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { JwtService, JwtSignOptions, JwtVerifyOptions, TokenExpiredError } from '@nestjs/jwt';
import { decodeProtectedHeader } from 'jose';
import { isRole, Principal, Role } from './principal';
import { ProviderTokenError, ProviderTokenVerifier } from './provider-tokens';
import { roleFromClaims, RoleClaimRule } from './role-claim';
import { VerifiedTokens } from './verified-tokens';

export { JwksUnavailableError } from './jwks-key-source';

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

/** How long a token may live (AUTH_MAX_TOKEN_TTL), given by AuthModule. */
export interface TokenLimits {
  maxTtlSeconds: number;
}

export const TOKEN_LIMITS = Symbol('TOKEN_LIMITS');

/**
 * Which tokens are accepted, given by AuthModule. Without it (code that builds a TokenService by hand),
 * runlog's HS256 tokens only.
 */
export interface TokenModes {
  /** runlog's own HS256 tokens: off when only a JWKS is configured. */
  hs256: boolean;
  /** The identity provider's tokens and where their role is; null: no JWKS configured. */
  provider: { verifier: ProviderTokenVerifier; roles: RoleClaimRule } | null;
}

export const TOKEN_MODES = Symbol('TOKEN_MODES');

/**
 * How far an issuer's clock may run ahead of runlog's: an iat up to this far in the future is still
 * taken as the moment of issue. A later one is not believed, and the lifetime is counted from now.
 */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Why a token was refused; the guard turns it into a 401 message, or a 403 for `no_role`: a provider
 * token that proved who the caller is but grants no runlog role (not in the mapped groups).
 */
export class TokenRejectedError extends Error {
  constructor(readonly reason: 'expired' | 'invalid' | 'no_role', detail: string) {
    super(detail);
    this.name = 'TokenRejectedError';
  }
}

@Injectable()
export class TokenService {
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly jwt: JwtService,
    @Inject(TOKEN_LIMITS) private readonly limits: TokenLimits,
    @Optional() @Inject(TOKEN_MODES) private readonly modes: TokenModes = { hs256: true, provider: null },
  ) {}

  /** Refuses a ttl past AUTH_MAX_TOKEN_TTL: verify would refuse the token. */
  issue(input: IssueTokenInput): Promise<string> {
    if (!this.modes.hs256) return Promise.reject(new Error('runlog issues no tokens: only the identity provider\'s are accepted (AUTH_JWT_SECRET is unset)'));
    return signWith(this.jwt, input, this.limits.maxTtlSeconds);
  }

  /** Throws TokenRejectedError, or JwksUnavailableError when a provider token's keys cannot be fetched now. */
  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    const { principal, exp } = await this.check(token);
    this.verified.remember(token, principal, exp);
    return principal;
  }

  private check(token: string): Promise<Checked> {
    const { provider } = this.modes;
    // The header only routes the token; each path then pins its own algorithms, so a token cannot pick its checker's rules.
    if (provider && (!this.modes.hs256 || headerAlg(token) !== 'HS256')) return this.verifyProvider(token, provider);
    if (!this.modes.hs256) throw new TokenRejectedError('invalid', 'HS256 tokens are not accepted');
    return this.verifyOwn(token);
  }

  private async verifyProvider(token: string, provider: NonNullable<TokenModes['provider']>): Promise<Checked> {
    let claims: Record<string, unknown>;
    try {
      claims = await provider.verifier.verify(token);
    } catch (error) {
      if (error instanceof ProviderTokenError) throw new TokenRejectedError(error.expired ? 'expired' : 'invalid', error.message);
      throw error;
    }
    if (typeof claims.sub !== 'string' || claims.sub.trim() === '') throw new TokenRejectedError('invalid', 'sub claim missing');
    const lifetime = lifetimeProblem(claims, this.limits.maxTtlSeconds);
    if (lifetime) throw new TokenRejectedError('invalid', lifetime);
    const role = roleFromClaims(claims, provider.roles);
    if (!role) throw new TokenRejectedError('no_role', `the token grants no runlog role (claim ${provider.roles.claim})`);
    return { principal: { sub: claims.sub, role }, exp: claims.exp as number };
  }

  private async verifyOwn(token: string): Promise<Checked> {
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
    const lifetime = lifetimeProblem(claims, this.limits.maxTtlSeconds);
    if (lifetime) throw new TokenRejectedError('invalid', lifetime);
    // Only the two claims we vouch for: nothing else a token carries leaks into the principal.
    return { principal: { sub: claims.sub, role: claims.role }, exp: claims.exp as number };
  }
}

/** A token that passed every check: who it proves, and its exp claim (seconds; lifetimeProblem checked it is a finite number). */
interface Checked {
  principal: Principal;
  exp: number;
}

/** The `alg` a token's header names, or null for a string that is not a JWS. */
function headerAlg(token: string): string | null {
  try {
    return decodeProtectedHeader(token).alg ?? null;
  } catch {
    return null;
  }
}

/**
 * jsonwebtoken checks exp only when a token has one, and any number will do: a token without exp, or
 * with exp 1e300, never expired. A token must say when it expires, within maxTtl of its issue.
 */
function lifetimeProblem(claims: Record<string, unknown>, maxTtl: number, now = Math.floor(Date.now() / 1000)): string | null {
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'exp claim missing';
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) return 'iat claim is not a number';
  // exp - iat alone would let a token issued "in the future" live as long as it likes from now.
  const issuedAt = typeof iat === 'number' && iat <= now + CLOCK_SKEW_SECONDS ? iat : now;
  return exp - issuedAt > maxTtl ? `lifetime ${exp - issuedAt} s exceeds AUTH_MAX_TOKEN_TTL (${maxTtl} s)` : null;
}

/**
 * For code without Nest (the token CLI, tests): the same signing as TokenService.issue. With
 * maxTtlSeconds, a longer ttl is refused (the CLI passes AUTH_MAX_TOKEN_TTL); tests sign without it.
 */
export function signToken(secret: string, input: IssueTokenInput, maxTtlSeconds?: number): Promise<string> {
  return signWith(new JwtService({ secret }), input, maxTtlSeconds);
}

async function signWith(jwt: JwtService, { sub, role, ttl = DEFAULT_TTL }: IssueTokenInput, maxTtlSeconds?: number): Promise<string> {
  if (typeof sub !== 'string' || sub.trim() === '') throw new Error('sub must be a non-empty string');
  if (!isRole(role)) throw new Error(`role must be admin, user or service, got ${JSON.stringify(role)}`);
  const token = await jwt.signAsync({ sub, role }, { algorithm: 'HS256', expiresIn: expiresIn(ttl) });
  // jsonwebtoken turns "7d" into seconds; what it wrote is what verify will judge.
  const { iat, exp } = jwt.decode<{ iat: number; exp: number }>(token);
  if (maxTtlSeconds !== undefined && exp - iat > maxTtlSeconds) {
    throw new Error(`ttl ${JSON.stringify(ttl)} (${exp - iat} s) is longer than AUTH_MAX_TOKEN_TTL (${maxTtlSeconds} s): runlog would refuse the token`);
  }
  return token;
}

/** jsonwebtoken reads a unitless string as milliseconds ("3600" = 3.6 s); treat digits as seconds instead. */
function expiresIn(ttl: Ttl): NonNullable<JwtSignOptions['expiresIn']> {
  const value = typeof ttl === 'string' && /^\d+$/.test(ttl.trim()) ? Number(ttl) : ttl;
  if (typeof value === 'number' ? !(Number.isFinite(value) && value > 0) : value.trim() === '' || value.trim().startsWith('-')) {
    throw new Error(`ttl must be a positive number of seconds or a timespan like 1h, got ${JSON.stringify(ttl)}`);
  }
  return value as NonNullable<JwtSignOptions['expiresIn']>;
}
