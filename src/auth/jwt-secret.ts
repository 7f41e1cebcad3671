/**
 * Where the HS256 signing secret comes from. An operator-supplied AUTH_JWT_SECRET always wins; embedded mode
 * (a single local instance) may fall back to a secret generated once in dataDir so `npm start` works with no
 * setup; with DATABASE_URL (possibly several instances) a per-instance secret would make tokens issued by one
 * instance fail on another, so the secret must be given explicitly.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AppConfig } from '../config/app.config';

export const MIN_SECRET_LENGTH = 32;
export const SECRET_FILE_NAME = 'jwt-secret';

export interface ResolvedJwtSecret {
  secret: string;
  /** True when the secret is runlog's own (kept in dataDir), not operator-supplied: embedded local use. */
  generated: boolean;
}

/** runlog's HS256 tokens are accepted unless a JWKS is configured without AUTH_JWT_SECRET (then only the provider's count). */
export function acceptsOwnTokens(config: AppConfig): boolean {
  return config.authJwtSecret !== null || (config.authJwksUrl === null && config.authOidcIssuerUrl === null);
}

export function resolveJwtSecret(config: AppConfig): ResolvedJwtSecret {
  if (config.authJwtSecret !== null) {
    if (config.authJwtSecret.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `AUTH_JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters (got ${config.authJwtSecret.length}); ` +
          `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
      );
    }
    return { secret: config.authJwtSecret, generated: false };
  }
  if (config.databaseUrl !== null) {
    throw new Error(
      'AUTH_JWT_SECRET must be set when DATABASE_URL is set: every instance sharing the database must verify ' +
        `the same tokens, so give them one secret of at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return { secret: readOrCreateSecretFile(path.join(config.dataDir, SECRET_FILE_NAME)), generated: true };
}

function readOrCreateSecretFile(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) createSecretFile(file);
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${file} holds a secret shorter than ${MIN_SECRET_LENGTH} characters; delete it to generate a new one`);
  }
  return secret;
}

/**
 * Written to a private temp file, then hard-linked into place: the link either appears with the full content
 * or fails because another process (the server and `npm run token` at once) won; the loser reads the winner's.
 */
function createSecretFile(file: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600); // the umask can only narrow the mode, but be explicit
    fs.linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
