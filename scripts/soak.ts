/**
 * `npm run soak`: the soak of test/reliability/soak.test.ts on its own, against the real service.
 * Starts `node dist/src/main.js` as a child process with its embedded PostgreSQL in a temporary
 * directory, runs 50 HTTP producers and 10 downloaders over loopback for SOAK_SECONDS (default 60),
 * verifies that every acknowledged entry is stored, prints a table, stops the service and removes
 * the directory. Exit code 1 on any 5xx, lost entry or inconsistent download. The service's RSS is
 * sampled every second (start, peak, final, plateau); the service gets the caller's environment, so
 * `LOG_CACHE_MAX_BYTES=67108864 npm run soak` soaks another cache bound.
 *
 *   SOAK_SECONDS=300 npm run soak
 *   SOAK_PRODUCERS=50 SOAK_DOWNLOADERS=10 SOAK_SEED=7 npm run soak
 *   SOAK_PREFILL_ENTRIES=1200000 SOAK_SECONDS=300 npm run soak   (the cache full before the soak begins)
 */
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { signToken } from '../src/auth/token.service';
import { ServiceProcess, startService, waitUntilNothingUses } from '../test/support/service-process';
import { prefillCache } from '../test/support/soak-prefill';
import { formatSoakTable, runSoak, verifySoak } from '../test/support/soak-runner';

function whole(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<number> {
  const seconds = whole('SOAK_SECONDS', 60);
  const producers = whole('SOAK_PRODUCERS', 50);
  const downloaders = whole('SOAK_DOWNLOADERS', 10, 0);
  const seed = whole('SOAK_SEED', Date.now() % 1_000_000);
  const prefill = whole('SOAK_PREFILL_ENTRIES', 0, 0);
  const secret = randomBytes(32).toString('hex');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'runlog-soak-'));
  let service: ServiceProcess | null = null;
  const stop = async () => {
    const running = service;
    service = null;
    if (running) await running.stop().catch(() => running.kill9());
    await waitUntilNothingUses(dataDir, 10_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const interrupted = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    console.log(`soak: starting runlog (embedded PostgreSQL in ${dataDir})`);
    service = await startService({
      dataDir,
      jwtSecret: secret,
      // One admin principal plays all the downloaders: its per-minute and in-flight download bounds are lifted.
      env: { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '1000000', DOWNLOADS_MAX_PER_PRINCIPAL: '1000', RUN_LEASE_SECONDS: '3600' },
    });
    const baseUrl = service.baseUrl;
    console.log(`soak: ${baseUrl}, ${producers} producers, ${downloaders} downloaders, ${seconds} s, seed ${seed}`);
    const serviceAuthorization = `Bearer ${await signToken(secret, { sub: 'soak-producer', role: 'service', ttl: seconds + 3600 })}`;
    const adminAuthorization = `Bearer ${await signToken(secret, { sub: 'soak-downloader', role: 'admin', ttl: seconds + 3600 })}`;
    if (prefill > 0) {
      const filled = await prefillCache({ baseUrl, serviceAuthorization, entries: prefill, seed, log: console.log });
      console.log(`soak: prefilled ${filled.entries} entries in ${filled.runs} running runs in ${filled.seconds.toFixed(0)} s`);
      if (filled.problems.length > 0) throw new Error(`prefill: ${filled.problems.slice(0, 5).join('; ')}`);
    }
    const result = await runSoak({ baseUrl, serviceAuthorization, adminAuthorization, seconds, producers, downloaders, seed, log: console.log, servicePid: service.pid });
    if (result.rss) console.log(`soak: service RSS every second (MiB): ${result.rss.seriesMiB.join(' ')}`);
    console.log('soak: verifying every acknowledged entry...');
    const verification = (await verifySoak(result, baseUrl, adminAuthorization))!;
    console.log(formatSoakTable(result));
    const problems = [...result.problems, ...verification.problems];
    for (const problem of problems.slice(0, 20)) console.log(`problem: ${problem}`);
    const ok = problems.length === 0 && result.serverErrors === 0 && result.networkErrors === 0 && verification.entriesChecked === result.entriesAcknowledged;
    console.log(ok ? 'soak: OK' : 'soak: FAILED');
    return ok ? 0 : 1;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`soak failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
