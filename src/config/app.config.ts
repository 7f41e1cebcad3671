/**
 * Every setting runlog reads from the environment, with its default, parsed and checked once at boot.
 * A wrong value stops the start with a message naming the variable, rather than surfacing later.
 */
import * as path from 'path';
import { isRole, Role, ROLES } from '../auth/principal';
import { DEFAULT_REDACT_PATTERNS } from '../batch-runs/domain/run.policy';

export interface AppConfig {
  port: number;
  /** The address HTTP binds to. */
  host: string;
  /** Unset: runlog starts embedded PostgreSQL in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** Embedded mode: a watchdog process stops the embedded PostgreSQL soon after runlog dies without stopping it (kill -9). */
  pgWatchdog: boolean;
  runMigrations: boolean;
  logCacheTtlSeconds: number;
  logCacheMaxCompletedRuns: number;
  groupCommitMaxEntries: number;
  groupCommitLanes: number;
  /** Groups one lane may have in flight at once (never two of one run): small groups go side by side. */
  groupCommitPipeline: number;
  demoBatchSeconds: number;
  maxEntriesPerRun: number;
  /** Regular expressions whose matches are masked before storage: the defaults (unless REDACT_DEFAULTS=false) plus REDACT_PATTERNS. */
  redactPatterns: string[];
  runLeaseSeconds: number;
  spoolMaxBytes: number;
  /** How long the orchestrator retries a command against an unavailable database before spooling it. */
  spoolAfterMs: number;
  /**
   * How long a run finished over OTLP stays open for the records its exporter sent before the finishing one
   * (the SDK exports its last batches concurrently): the finishing request is answered after this wait.
   */
  otlpFinishGraceMs: number;
  /**
   * Bound of the read cache's estimated heap (what V8 holds for the cached entries). The process's RSS
   * grows by up to about 3x as much (V8 lets the heap grow to ~3x its live size between full GCs):
   * 64 MiB measured a plateau of ~450 MiB in the soak, 256 MiB ~700 MiB with peaks over 1 GiB.
   */
  logCacheMaxBytes: number;
  /** Finished runs older than this are deleted; 0 keeps everything. */
  retentionDays: number;
  retentionIntervalMinutes: number;
  /** Runs deleted per retention transaction (each with all its entries): keeps every step short. */
  retentionBatchRuns: number;
  /** HS256 secret for bearer tokens; unset in embedded mode: generated once and kept in dataDir. */
  authJwtSecret: string | null;
  /** The longest lifetime a bearer token may have (exp - iat, or exp - now without iat), seconds: a token that never expires is refused. */
  authMaxTokenTtl: number;
  /** The identity provider's key set (JWKS) for RS/ES/PS/EdDSA tokens; null: none (HS256 only). */
  authJwksUrl: string | null;
  /** An OIDC issuer whose discovery document (/.well-known/openid-configuration) names the JWKS; instead of authJwksUrl. */
  authOidcIssuerUrl: string | null;
  /** The `iss` a provider token must carry; required with a JWKS. */
  authIssuer: string | null;
  /** The `aud` values a provider token must carry one of; required with a JWKS. */
  authAudience: string[] | null;
  /** Where a provider token's role is: a claim name (a namespaced URL too) or a dotted path (metadata.role). */
  authRoleClaim: string;
  /** Provider values (roles, groups) to runlog roles; null: the claim must hold admin, user or service itself. */
  authRoleMap: Record<string, Role> | null;
  /** The shortest time between two fetches of the JWKS (rotation refetches and retries after a failure). */
  authJwksCooldownSeconds: number;
  /** How far a provider's clock may be off for exp, nbf and iat. */
  authClockSkewSeconds: number;
  /** A static bearer secret a scraper may send to GET /metrics instead of an admin token; unset: admin tokens only. */
  metricsToken: string | null;
  rateLimitDownloadsPerMinute: number;
  /** Downloads one principal may have in flight at once (429 with Retry-After beyond). */
  downloadsMaxPerPrincipal: number;
  /** Live event streams (SSE) one principal may hold open (429 beyond), and all principals together (503 beyond). */
  sseMaxPerPrincipal: number;
  sseMaxConnections: number;
  /** How often an SSE stream with nothing to say sends a comment, so proxies and the idle timeout see it alive. */
  sseHeartbeatSeconds: number;
  /** Connections of the separate pool that downloads, timelines and event streams read from. */
  readPoolMax: number;
  /** A socket that makes no progress this long (a client that stopped reading or sending) is closed. */
  httpIdleTimeoutSeconds: number;
  /** Time allowed to receive a request's headers, and the whole request. */
  httpHeadersTimeoutSeconds: number;
  httpRequestTimeoutSeconds: number;
  /** Open connections the HTTP server accepts at once; more are refused at the socket. */
  httpMaxConnections: number;
  /** How often the search indexer looks for new entries to index (ms); 0: no indexer (search scans what is unindexed). */
  searchIndexIntervalMs: number;
  /** Entries the search indexer indexes per tick at most: bounds its share of the database against the write path. */
  searchIndexBatchEntries: number;
  /** How often the indexer scans every run for lines to index (the runs other instances wrote, rows loaded by SQL); between scans it looks only at the runs this instance wrote. */
  searchIndexScanMs: number;
  /** A search's statement timeout (ms): past it the answer is 400 search_too_broad. */
  searchStatementTimeoutMs: number;
  /** Run the demo onboarding batch once at start when the database holds no run (embedded default). */
  seedDemoRun: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): AppConfig {
  const config = readConfig(env);
  // A quiet event stream is kept alive by its heartbeat: it must come before the idle timeout closes it.
  if (config.sseHeartbeatSeconds >= config.httpIdleTimeoutSeconds) {
    throw new Error(
      `SSE_HEARTBEAT_SECONDS (${config.sseHeartbeatSeconds}) must be shorter than HTTP_IDLE_TIMEOUT_SECONDS (${config.httpIdleTimeoutSeconds})`,
    );
  }
  if (config.httpHeadersTimeoutSeconds > config.httpRequestTimeoutSeconds) {
    throw new Error(
      `HTTP_HEADERS_TIMEOUT_SECONDS (${config.httpHeadersTimeoutSeconds}) must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (${config.httpRequestTimeoutSeconds})`,
    );
  }
  checkProviderTokens(config);
  return config;
}

/** A JWKS is trusted only for tokens of one issuer and audience: without both, any token its keys signed would do. */
function checkProviderTokens(config: AppConfig): void {
  if (config.authJwksUrl !== null && config.authOidcIssuerUrl !== null) {
    throw new Error('set AUTH_JWKS_URL or AUTH_OIDC_ISSUER_URL, not both');
  }
  if (config.authJwksUrl === null && config.authOidcIssuerUrl === null) return;
  const missing = [config.authIssuer === null ? 'AUTH_ISSUER' : null, config.authAudience === null ? 'AUTH_AUDIENCE' : null].filter(Boolean);
  if (missing.length) {
    throw new Error(`${missing.join(' and ')} must be set when ${config.authJwksUrl !== null ? 'AUTH_JWKS_URL' : 'AUTH_OIDC_ISSUER_URL'} is set: the claims iss and aud every provider token must carry`);
  }
}

function readConfig(env: Env): AppConfig {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(nonEmpty(env.RUNLOG_DATA_DIR) ?? './.data'),
    pgWatchdog: boolean(env, 'RUNLOG_PG_WATCHDOG', true),
    runMigrations: boolean(env, 'RUN_MIGRATIONS', true),
    logCacheTtlSeconds: integer(env, 'LOG_CACHE_TTL_SECONDS', 7200, 0),
    logCacheMaxCompletedRuns: integer(env, 'LOG_CACHE_MAX_COMPLETED_RUNS', 100, 0),
    groupCommitMaxEntries: integer(env, 'GROUP_COMMIT_MAX_ENTRIES', 20000, 1),
    groupCommitLanes: integer(env, 'GROUP_COMMIT_LANES', 2, 1, 8),
    groupCommitPipeline: integer(env, 'GROUP_COMMIT_PIPELINE', 4, 1, 8),
    demoBatchSeconds: number(env, 'DEMO_BATCH_SECONDS', 20, 0),
    maxEntriesPerRun: integer(env, 'MAX_ENTRIES_PER_RUN', 100_000, 2),
    // Configured patterns add to the defaults: adding one must never silently switch the others off.
    redactPatterns: [...(boolean(env, 'REDACT_DEFAULTS', true) ? DEFAULT_REDACT_PATTERNS : []), ...stringList(env, 'REDACT_PATTERNS', [])],
    runLeaseSeconds: integer(env, 'RUN_LEASE_SECONDS', 60, 1),
    spoolMaxBytes: integer(env, 'RUNLOG_SPOOL_MAX_BYTES', 64 * 1024 * 1024, 1024),
    spoolAfterMs: integer(env, 'SPOOL_AFTER_MS', 2000, 0),
    otlpFinishGraceMs: integer(env, 'OTLP_FINISH_GRACE_MS', 2000, 0, 30000),
    logCacheMaxBytes: integer(env, 'LOG_CACHE_MAX_BYTES', 64 * 1024 * 1024, 0),
    retentionDays: number(env, 'RETENTION_DAYS', 90, 0),
    retentionIntervalMinutes: number(env, 'RETENTION_INTERVAL_MINUTES', 60, 0.01),
    retentionBatchRuns: integer(env, 'RETENTION_BATCH_RUNS', 20, 1),
    authJwtSecret: nonEmpty(env.AUTH_JWT_SECRET),
    authMaxTokenTtl: integer(env, 'AUTH_MAX_TOKEN_TTL', 86_400, 1),
    authJwksUrl: httpUrl(env, 'AUTH_JWKS_URL'),
    authOidcIssuerUrl: httpUrl(env, 'AUTH_OIDC_ISSUER_URL'),
    authIssuer: nonEmpty(env.AUTH_ISSUER),
    authAudience: commaList(env.AUTH_AUDIENCE),
    authRoleClaim: nonEmpty(env.AUTH_ROLE_CLAIM) ?? 'role',
    authRoleMap: roleMap(env, 'AUTH_ROLE_MAP'),
    // At least a second: the cooldown is what stops a stream of tokens with made-up kids from becoming a stream of fetches.
    authJwksCooldownSeconds: number(env, 'AUTH_JWKS_COOLDOWN_SECONDS', 30, 1, 3600),
    authClockSkewSeconds: integer(env, 'AUTH_CLOCK_SKEW_SECONDS', 30, 0, 300),
    metricsToken: secret(env, 'METRICS_TOKEN', 16),
    rateLimitDownloadsPerMinute: integer(env, 'RATE_LIMIT_DOWNLOADS_PER_MINUTE', 60, 1),
    downloadsMaxPerPrincipal: integer(env, 'DOWNLOADS_MAX_PER_PRINCIPAL', 4, 1),
    sseMaxPerPrincipal: integer(env, 'SSE_MAX_PER_PRINCIPAL', 16, 1),
    sseMaxConnections: integer(env, 'SSE_MAX_CONNECTIONS', 512, 1),
    // Unset, it follows a shorter idle timeout: the heartbeat must come well before the timeout closes a quiet stream.
    sseHeartbeatSeconds: number(env, 'SSE_HEARTBEAT_SECONDS', Math.min(15, number(env, 'HTTP_IDLE_TIMEOUT_SECONDS', 60, 1) / 4), 0.1),
    readPoolMax: integer(env, 'READ_POOL_MAX', 4, 1, 100),
    httpIdleTimeoutSeconds: number(env, 'HTTP_IDLE_TIMEOUT_SECONDS', 60, 1),
    httpHeadersTimeoutSeconds: number(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 10, 1),
    httpRequestTimeoutSeconds: number(env, 'HTTP_REQUEST_TIMEOUT_SECONDS', 30, 1),
    httpMaxConnections: integer(env, 'HTTP_MAX_CONNECTIONS', 2048, 1),
    searchIndexIntervalMs: integer(env, 'SEARCH_INDEX_INTERVAL_MS', 1000, 0, 3_600_000),
    // At least one chunk (100 lines) a tick: a smaller budget could never index a running run.
    searchIndexBatchEntries: integer(env, 'SEARCH_INDEX_BATCH_ENTRIES', 5000, 100, 1_000_000),
    searchIndexScanMs: integer(env, 'SEARCH_INDEX_SCAN_MS', 600_000, 1000, 86_400_000),
    searchStatementTimeoutMs: integer(env, 'SEARCH_STATEMENT_TIMEOUT_MS', 5000, 1, 600_000),
    seedDemoRun: boolean(env, 'SEED_DEMO_RUN', databaseUrl === null),
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== '' ? value.trim() : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = number(env, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(env[name])}`);
  return value;
}

function number(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A shared secret: unset is null; a short one is refused (it would be guessable), as is one with whitespace (it could not travel in a header). */
function secret(env: Env, name: string, minLength: number): string | null {
  const raw = nonEmpty(env[name]);
  if (raw === null) return null;
  if (raw.length < minLength || /\s/.test(raw)) {
    throw new Error(`${name} must be at least ${minLength} characters without whitespace, got one of ${raw.length} characters`);
  }
  return raw;
}

/** A JSON array of strings, e.g. REDACT_PATTERNS='["secret-[0-9]+"]'. */
function stringList(env: Env, name: string, fallback: readonly string[]): string[] {
  const raw = nonEmpty(env[name]);
  if (raw === null) return [...fallback];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${name} must be a JSON array of strings, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** An absolute http(s) URL, or null when unset. */
function httpUrl(env: Env, name: string): string | null {
  const raw = nonEmpty(env[name]);
  if (raw === null) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
  return url.href;
}

/** "a, b" -> ['a', 'b']; unset or only commas: null. */
function commaList(value: string | undefined): string[] | null {
  const items = (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length ? items : null;
}

/** A JSON object from provider values to runlog roles, e.g. AUTH_ROLE_MAP='{"runlog-admins":"admin"}'. */
function roleMap(env: Env, name: string): Record<string, Role> | null {
  const raw = nonEmpty(env[name]);
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = null;
  }
  const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : null;
  if (!entries || entries.length === 0 || !entries.every(([key, role]) => key !== '' && isRole(role))) {
    throw new Error(`${name} must be a JSON object from claim values to ${ROLES.join(', ')}, e.g. {"runlog-admins":"admin"}, got ${JSON.stringify(raw)}`);
  }
  // A null-prototype object: a claim value "__proto__" or "constructor" maps to nothing unless configured.
  return Object.assign(Object.create(null) as Record<string, Role>, Object.fromEntries(entries));
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined || raw === null) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}
