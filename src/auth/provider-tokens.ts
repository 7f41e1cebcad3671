/**
 * Tokens of the identity provider (Clerk, Auth0, Keycloak, Okta, Entra ID, Google, a workload identity):
 * asymmetric JWTs checked with jose against the provider's JWKS, for one issuer and audience.
 * What the token must be is fixed here, not by the token: the algorithm from an asymmetric list (never
 * HS256, whose "secret" would be the public key, never `none`), the key by kid and key type from the
 * JWKS, `exp` present, `nbf` and `exp` with AUTH_CLOCK_SKEW_SECONDS of tolerance.
 */
import { errors, jwtVerify, JWTPayload } from 'jose';
import { JwksKeySource } from './jwks-key-source';

/** Every asymmetric JWS algorithm jose verifies; the JWKS key's type (and its `alg`, when given) must match. */
export const PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface ProviderTokenOptions {
  issuer: string;
  audience: string[];
  clockSkewSeconds: number;
}

/** A provider token that was refused: expired, or invalid in any other way (the guard does not say which). */
export class ProviderTokenError extends Error {
  constructor(
    readonly expired: boolean,
    detail: string,
  ) {
    super(detail);
    this.name = 'ProviderTokenError';
  }
}

export class ProviderTokenVerifier {
  constructor(
    private readonly keys: JwksKeySource,
    private readonly options: ProviderTokenOptions,
  ) {}

  /** The verified claims; throws ProviderTokenError, or JwksUnavailableError when the keys cannot be had. */
  async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keys.getKey, {
        algorithms: PROVIDER_ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new ProviderTokenError(true, 'token expired');
      if (error instanceof errors.JOSEError || error instanceof TypeError) throw new ProviderTokenError(false, error.message);
      throw error; // JwksUnavailableError, or a bug: not a verdict on the token
    }
  }
}
