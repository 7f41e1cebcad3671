/**
 * Bearer-token auth for the whole app: resolves the signing secret once at boot (a missing one stops the
 * start with a clear message), sets up the identity provider's JWKS when one is configured, and installs
 * AuthGuard globally so routes are closed unless @Public().
 */
import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { createSecretKey } from 'crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app.config';
import { AuthGuard } from './auth.guard';
import { JwksKeySource } from './jwks-key-source';
import { acceptsOwnTokens, resolveJwtSecret } from './jwt-secret';
import { ProviderTokenVerifier } from './provider-tokens';
import { JWT_ALGORITHMS, TOKEN_LIMITS, TOKEN_MODES, TokenLimits, TokenModes, TokenService } from './token.service';

/** `{ generated: boolean }`, never the secret: lets main.ts print a local admin token in embedded mode. */
export const JWT_SECRET_INFO = Symbol('JWT_SECRET_INFO');

export interface JwtSecretInfo {
  generated: boolean;
}

@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const hs256 = acceptsOwnTokens(config);
    // With only a JWKS configured there is no secret at all: not even embedded mode generates one.
    const { secret, generated } = hs256 ? resolveJwtSecret(config) : { secret: null, generated: false };
    const info: JwtSecretInfo = { generated };
    const modes: TokenModes = { hs256, provider: providerTokens(config) };
    return {
      module: AuthModule,
      imports: [
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every verify, about 1 ms of CPU per request; with the KeyObject a verify takes ~35 µs.
        JwtModule.register(
          secret === null ? {} : { secret: createSecretKey(Buffer.from(secret, 'utf8')), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: JWT_ALGORITHMS } },
        ),
      ],
      providers: [
        TokenService,
        { provide: TOKEN_LIMITS, useValue: { maxTtlSeconds: config.authMaxTokenTtl } satisfies TokenLimits },
        { provide: TOKEN_MODES, useValue: modes },
        { provide: JWT_SECRET_INFO, useValue: info },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenService, JWT_SECRET_INFO],
    };
  }
}

function providerTokens(config: AppConfig): TokenModes['provider'] {
  if (config.authJwksUrl === null && config.authOidcIssuerUrl === null) return null;
  // loadConfig has refused a JWKS without both.
  if (config.authIssuer === null || config.authAudience === null) throw new Error('AUTH_ISSUER and AUTH_AUDIENCE must be set with a JWKS');
  const logger = new Logger('auth');
  const keys = new JwksKeySource({
    jwksUrl: config.authJwksUrl,
    oidcIssuerUrl: config.authOidcIssuerUrl,
    cooldownSeconds: config.authJwksCooldownSeconds,
    warn: (message) => logger.warn(message),
  });
  return {
    verifier: new ProviderTokenVerifier(keys, { issuer: config.authIssuer, audience: config.authAudience, clockSkewSeconds: config.authClockSkewSeconds }),
    roles: { claim: config.authRoleClaim, map: config.authRoleMap },
  };
}
