/**
 * `npm run token -- --role admin|user|service [--sub ID] [--ttl 1h]`: prints one bearer token and nothing
 * else on stdout, so `TOKEN=$(npm run --silent token -- --role admin)` works. Uses the server's secret
 * resolution, so in embedded mode it reads (or first creates) the secret in RUNLOG_DATA_DIR; no database.
 */
import { parseArgs } from 'util';
import { acceptsOwnTokens, resolveJwtSecret } from '../src/auth/jwt-secret';
import { isRole, ROLES } from '../src/auth/principal';
import { DEFAULT_TTL, signToken } from '../src/auth/token.service';
import { loadConfig } from '../src/config/app.config';

const USAGE = `usage: npm run token -- --role ${ROLES.join('|')} [--sub ID] [--ttl ${DEFAULT_TTL}]
  --role  the token's role (required)
  --sub   the subject; default <role>-cli
  --ttl   lifetime: seconds or a timespan like 30m, 1h, 12h; default ${DEFAULT_TTL}; at most
          AUTH_MAX_TOKEN_TTL (default 86400 s = 24h): runlog refuses a token that lives longer`;

class UsageError extends Error {}

function parse(argv: string[]): { role: (typeof ROLES)[number]; sub: string; ttl: string } {
  let values: { role?: string; sub?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.role === undefined) throw new UsageError('--role is required');
  if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(values.role)}`);
  const sub = values.sub ?? `${values.role}-cli`;
  if (sub.trim() === '') throw new UsageError('--sub must not be empty');
  return { role: values.role, sub, ttl: values.ttl ?? DEFAULT_TTL };
}

async function main(): Promise<void> {
  const { role, sub, ttl } = parse(process.argv.slice(2));
  const config = loadConfig();
  if (!acceptsOwnTokens(config)) {
    // Such a token would be refused: with only a JWKS configured, runlog takes the provider's tokens alone.
    throw new Error('runlog accepts only the identity provider\'s tokens here (a JWKS is set, AUTH_JWT_SECRET is not): get one from the provider, or set AUTH_JWT_SECRET for runlog-minted service tokens');
  }
  const { secret } = resolveJwtSecret(config);
  let token: string;
  try {
    // Bounded like the server's check (AUTH_MAX_TOKEN_TTL): a longer token would only ever be a 401.
    token = await signToken(secret, { sub, role, ttl }, config.authMaxTokenTtl);
  } catch (error) {
    // The only input that can still be wrong here is the ttl: report it as a usage error.
    throw new UsageError(`--ttl: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log(token);
}

main().catch((error) => {
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof UsageError) {
    console.error(USAGE);
    process.exit(2);
  }
  process.exit(1);
});
