/**
 * The identity provider's public keys, for jose's jwtVerify. jose's remote JWKS set does the caching,
 * the refetch on an unknown `kid` (key rotation) and the cooldown after a successful fetch; this wraps
 * it for what it leaves out:
 * - a failed fetch is not retried by every next request (jose would fetch again at once, so a provider
 *   outage became a fetch per request): for AUTH_JWKS_COOLDOWN_SECONDS after a failure no fetch is made,
 *   and tokens that need one are told to come back (JwksUnavailableError, a 503 with Retry-After);
 * - AUTH_OIDC_ISSUER_URL: the JWKS address is read from the issuer's discovery document, on first use
 *   (runlog starts while the provider is down) and kept for the life of the process.
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, FlattenedJWSInput, JWSHeaderParameters, KeyLike } from 'jose';

/** How long one fetch of the JWKS or the discovery document may take before it counts as failed. */
const FETCH_TIMEOUT_MS = 5_000;
/** Keys are refetched this often even when no unknown kid asks for it, so a key the provider withdrew stops working. */
const CACHE_MAX_AGE_MS = 10 * 60_000;

/** The provider's keys could not be fetched: the token can be neither accepted nor refused now. */
export class JwksUnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(detail);
    this.name = 'JwksUnavailableError';
  }
}

export interface JwksKeySourceOptions {
  /** The JWKS itself, or (oidcIssuerUrl) where to discover it. */
  jwksUrl: string | null;
  oidcIssuerUrl: string | null;
  cooldownSeconds: number;
  /** Where failures are told (the server log); never the token. */
  warn?: (message: string) => void;
}

type RemoteSet = ReturnType<typeof createRemoteJWKSet>;

export class JwksKeySource {
  private remote: RemoteSet | null = null;
  private discovery: Promise<RemoteSet> | null = null;
  private failedAt: number | null = null;
  private readonly cooldownMs: number;

  constructor(private readonly options: JwksKeySourceOptions) {
    this.cooldownMs = options.cooldownSeconds * 1000;
    if (options.jwksUrl) this.remote = this.remoteSet(options.jwksUrl);
  }

  /** jose's key-resolver signature: `jwtVerify(token, source.getKey, ...)`. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<KeyLike> => {
    const waitMs = this.failedAt === null ? 0 : this.failedAt + this.cooldownMs - Date.now();
    if (waitMs > 0) return this.withoutFetching(header, token, Math.ceil(waitMs / 1000));
    try {
      const remote = this.remote ?? (await this.discover());
      return await remote(header, token);
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      this.failedAt = Date.now();
      this.options.warn?.(`identity provider keys unavailable: ${describe(error)}; no fetch for ${this.options.cooldownSeconds} s`);
      throw new JwksUnavailableError(Math.ceil(this.cooldownMs / 1000), `identity provider keys unavailable: ${describe(error)}`);
    }
  };

  /** Within the cooldown after a failure: keys already held (and still fresh) verify; anything else must wait. */
  private async withoutFetching(header: JWSHeaderParameters, token: FlattenedJWSInput, retryAfterSeconds: number): Promise<KeyLike> {
    const held = this.remote?.fresh ? this.remote.jwks() : undefined;
    if (held) {
      try {
        return await createLocalJWKSet(held)(header, token);
      } catch (error) {
        // An unknown kid may be a key the provider has just rotated in: only a fetch could say, and none may be made now.
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      }
    }
    throw new JwksUnavailableError(retryAfterSeconds, 'identity provider keys unavailable (a recent fetch failed)');
  }

  private discover(): Promise<RemoteSet> {
    // One discovery at a time; a failed one is forgotten, so the next request after the cooldown tries again.
    this.discovery ??= discoverJwksUrl(this.options.oidcIssuerUrl!).then(
      (url) => (this.remote = this.remoteSet(url)),
      (error: unknown) => {
        this.discovery = null;
        throw error;
      },
    );
    return this.discovery;
  }

  private remoteSet(url: string): RemoteSet {
    return createRemoteJWKSet(new URL(url), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: this.cooldownMs,
      cacheMaxAge: Math.max(CACHE_MAX_AGE_MS, this.cooldownMs),
    });
  }
}

/** Raised when the discovery document cannot be had: a fetch failure like the JWKS's own. */
class DiscoveryError extends Error {}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const address = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetch(address, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new DiscoveryError(`${address} answered ${response.status}`);
    }
    document = await response.json();
  } catch (error) {
    throw error instanceof DiscoveryError ? error : new DiscoveryError(`${address}: ${describe(error)}`);
  }
  const jwksUri = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).jwks_uri : undefined;
  if (typeof jwksUri !== 'string' || !/^https?:\/\//i.test(jwksUri)) throw new DiscoveryError(`${address} names no http(s) jwks_uri`);
  return jwksUri;
}

/**
 * What jose raises when it could not get the key set (network error, timeout, a non-200 answer, a
 * body that is not a JWKS), as opposed to what it raises about the token (no key for its kid, several).
 */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof DiscoveryError || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (!(error instanceof errors.JOSEError)) return true; // socket errors (ECONNREFUSED, ECONNRESET), DNS
  return error.code === 'ERR_JOSE_GENERIC'; // jose's "Expected 200 OK" and "Failed to parse ... as JSON"
}

function describe(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code && !(error instanceof errors.JOSEError) ? `${(error as NodeJS.ErrnoException).code} ${error.message}` : error.message;
  return String(error);
}
