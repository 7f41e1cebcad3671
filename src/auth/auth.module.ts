/**
 * Bearer-token auth for the whole app: resolves the signing secret once at boot (a missing one stops the
 * start with a clear message), and installs AuthGuard globally so routes are closed unless @Public().
 */
import { DynamicModule, Global, Module } from '@nestjs/common';
import { createSecretKey } from 'crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app.config';
import { AuthGuard } from './auth.guard';
import { resolveJwtSecret } from './jwt-secret';
import { JWT_ALGORITHMS, TOKEN_LIMITS, TokenLimits, TokenService } from './token.service';

/** `{ generated: boolean }`, never the secret: lets main.ts print a local admin token in embedded mode. */
export const JWT_SECRET_INFO = Symbol('JWT_SECRET_INFO');

export interface JwtSecretInfo {
  generated: boolean;
}

@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { secret, generated } = resolveJwtSecret(config);
    const info: JwtSecretInfo = { generated };
    return {
      module: AuthModule,
      imports: [
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every verify, about 1 ms of CPU per request; with the KeyObject a verify takes ~35 µs.
        JwtModule.register({ secret: createSecretKey(Buffer.from(secret, 'utf8')), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: JWT_ALGORITHMS } }),
      ],
      providers: [
        TokenService,
        { provide: TOKEN_LIMITS, useValue: { maxTtlSeconds: config.authMaxTokenTtl } satisfies TokenLimits },
        { provide: JWT_SECRET_INFO, useValue: info },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenService, JWT_SECRET_INFO],
    };
  }
}
