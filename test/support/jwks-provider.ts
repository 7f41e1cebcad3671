/**
 * A stand-in identity provider for tests: keys made with node's crypto, a real JWKS endpoint (and an
 * OIDC discovery document) over HTTP on 127.0.0.1, and tokens signed with those keys. The endpoint can
 * be switched to fail (500, a reset connection, a body that is not JSON) and counts the fetches it gets.
 */
import { createHmac, generateKeyPairSync, KeyObject, randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { SignJWT } from 'jose';

export interface ProviderKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function makeKey(alg: ProviderKey['alg'], kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`): ProviderKey {
  const { privateKey, publicKey } = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicKey };
}

export type JwksMode = 'ok' | 'error-500' | 'reset' | 'not-json' | 'hang';

export class FakeProvider {
  keys: ProviderKey[] = [];
  mode: JwksMode = 'ok';
  /** Every GET of the JWKS, whatever was answered. */
  jwksFetches = 0;
  discoveryFetches = 0;
  private server: http.Server | null = null;
  url = '';

  constructor(
    readonly issuer = 'https://idp.runlog.test/',
    readonly audience = 'runlog-api',
  ) {}

  get jwksUrl(): string {
    return `${this.url}/keys`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        this.discoveryFetches += 1;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: this.jwksUrl }));
        return;
      }
      if (req.url !== '/keys') {
        res.statusCode = 404;
        res.end();
        return;
      }
      this.jwksFetches += 1;
      if (this.mode === 'reset') return void req.socket.destroy();
      if (this.mode === 'hang') return; // never answers: stop() closes the connection
      if (this.mode === 'error-500') {
        res.statusCode = 500;
        res.end('provider down');
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(this.mode === 'not-json' ? '<html>maintenance</html>' : JSON.stringify({ keys: this.keys.map(publicJwk) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A token as the provider would issue it: iss, aud, sub, iat, exp (1 h) and the given claims; any of them overridable. */
  sign(claims: Record<string, unknown>, key: ProviderKey = this.keys[0], header: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.issuer, aud: this.audience, iat: now, exp: now + 3600, ...claims };
    for (const name of Object.keys(payload) as (keyof typeof payload)[]) if (payload[name] === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
  }
}

export function publicJwk(key: ProviderKey): Record<string, unknown> {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
}

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The classic confusion: HS256 with the provider's public key (as PEM, as a verifier might hold it) for the secret. */
export function hs256WithPublicKey(key: ProviderKey, payload: Record<string, unknown>): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64url(payload)}`;
  const secret = key.publicKey.export({ format: 'pem', type: 'spki' });
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** An unsigned token (`alg: none`). */
export function unsigned(payload: Record<string, unknown>, kid?: string): string {
  return `${b64url({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64url(payload)}.`;
}
