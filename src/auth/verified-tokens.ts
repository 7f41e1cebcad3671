/**
 * Tokens this instance has verified lately, with the principal each proved. A producer sends the same
 * token with every append, and checking its signature (an HMAC, or an RSA/EC verify for a provider's
 * token) was 8-10% of the server's time for single-line appends (profile of the HTTP bench, #13). Only a
 * token that passed every check is kept, never a refusal, so nothing an attacker sends can enter it.
 *
 * A token is kept until its `exp` or for at most MAX_AGE_MS, whichever comes first: a provider key
 * withdrawn from the JWKS stops its tokens within MAX_AGE_MS, the same bound a JWKS cache gives.
 * At most MAX_TOKENS are kept, the oldest dropped first (a Map iterates in insertion order).
 */
import { Principal } from './principal';

const MAX_TOKENS = 1000;
const MAX_AGE_MS = 60_000;

interface Verified {
  principal: Principal;
  until: number;
}

export class VerifiedTokens {
  private readonly tokens = new Map<string, Verified>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The principal a still-fresh verified token proved, or undefined. */
  get(token: string): Principal | undefined {
    const hit = this.tokens.get(token);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit.principal;
    this.tokens.delete(token);
    return undefined;
  }

  /** Keeps a token that passed every check; `expSeconds` is its exp claim. */
  remember(token: string, principal: Principal, expSeconds: number): void {
    const now = this.now();
    const until = Math.min(expSeconds * 1000, now + MAX_AGE_MS);
    if (until <= now) return;
    this.tokens.delete(token); // re-inserted at the end: the newest
    this.tokens.set(token, { principal, until });
    if (this.tokens.size > MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value as string);
  }

  get size(): number {
    return this.tokens.size;
  }
}
