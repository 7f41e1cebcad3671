/**
 * A bounded soak: 50 concurrent HTTP producers (each its own run, batches of 10-50 entries with
 * explicit seqs) and 10 downloaders (admin downloads, json and ndjson, of random runs) against one
 * runlog for SOAK_SECONDS (default 60). No 5xx, every acknowledged entry stored once and in order;
 * append latency (p50/p99) and throughput are printed. `npm run soak` runs the same load against
 * the real service as a child process and prints a table.
 */
import { formatSoakTable, runSoak, verifySoak } from '../support/soak-runner';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);

describe('soak', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      listen: true,
      // Downloads are the load here, not the rate limit's subject; runs are kept under the entry cap by the producers.
      // The soak's tokens (48 h) outlive the longest soak (24 h); the default AUTH_MAX_TOKEN_TTL is 24 h.
      // One admin principal plays all 10 downloaders: its per-minute and in-flight download bounds are lifted.
      env: { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '1000000', DOWNLOADS_MAX_PER_PRINCIPAL: '1000', AUTH_MAX_TOKEN_TTL: String(48 * 3600) },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it(
    `${SECONDS} s of 50 producers and 10 downloaders: no 5xx, every acknowledged entry stored`,
    async () => {
      expect(Number.isFinite(SECONDS) && SECONDS > 0 && SECONDS <= 24 * 3600).toBe(true);
      const serviceAuthorization = `Bearer ${await tokenFor('service', 'soak-producer', '48h')}`;
      const adminAuthorization = `Bearer ${await tokenFor('admin', 'soak-downloader', '48h')}`;
      const result = await runSoak({ baseUrl: t.baseUrl, serviceAuthorization, adminAuthorization, seconds: SECONDS, seed: 42 });
      const verification = (await verifySoak(result, t.baseUrl, adminAuthorization))!;
      const groups = t.committer.stats;
      console.log(
        `soak (in-process app, ${SECONDS} s):\n${formatSoakTable(result)}\n` +
          `group commits: ${groups.groups} transactions for ${groups.commands} commands (largest ${groups.largestGroup})`,
      );

      expect(result.problems).toEqual([]);
      expect(result.serverErrors).toBe(0);
      expect(result.networkErrors).toBe(0);
      expect(result.appends.count).toBeGreaterThan(0);
      expect(result.downloads.count).toBeGreaterThan(0);
      expect(verification.problems).toEqual([]);
      expect(verification.entriesChecked).toBe(result.entriesAcknowledged);
    },
    SECONDS * 1000 + 240_000,
  );
});
