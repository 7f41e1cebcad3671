/**
 * Fills the service's read cache before a soak, so that the soak measures a service whose cache has
 * reached LOG_CACHE_MAX_BYTES, as one that has been up for hours has: a 300 s soak alone writes
 * too little (a few hundred thousand entries on a shared 2-core machine) to fill a bound of 256 MiB.
 * A few producers write runs of `entriesPerRun` entries in batches of 1000, with the soak's messages,
 * and leave them running (running runs stay cached until the bound pushes them out, least recently
 * used first, which these are once the soak begins). The runs are not verified afterwards; every
 * batch must be answered 201.
 */
import * as http from 'http';
import { performance } from 'perf_hooks';
import { fixedTarget, Producer, seededRandom } from './producer';

export interface PrefillOptions {
  baseUrl: string;
  serviceAuthorization: string;
  /** Entries to write in all. */
  entries: number;
  entriesPerRun?: number;
  producers?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface PrefillResult {
  entries: number;
  runs: number;
  seconds: number;
  problems: string[];
}

export async function prefillCache(options: PrefillOptions): Promise<PrefillResult> {
  const perRun = options.entriesPerRun ?? 20_000;
  const producerCount = options.producers ?? 4;
  const agent = new http.Agent({ keepAlive: true, maxSockets: producerCount + 1 });
  const target = fixedTarget(options.baseUrl, agent);
  const began = performance.now();
  const deadline = Date.now() + 3_600_000;
  const problems: string[] = [];
  let written = 0;
  let runs = 0;
  let lastLog = began;
  try {
    await Promise.all(
      Array.from({ length: producerCount }, async (_, slot) => {
        for (let generation = 1; written < options.entries && problems.length === 0; generation += 1) {
          runs += 1;
          // A producer per run, dropped after it: its record of acknowledged entries is not kept.
          const producer = new Producer({
            runId: `prefill-${options.seed ?? 1}-${slot + 1}-${generation}`,
            target,
            authorization: options.serviceAuthorization,
            random: seededRandom((options.seed ?? 1) * 7717 + slot * 131 + generation),
            minBatch: 1000,
            maxBatch: 1000,
            maxMessageChars: 120,
            retryBudgetMs: 60_000,
          });
          let counted = 0;
          await producer.run(() => {
            written += producer.lastAckedSeq - counted;
            counted = producer.lastAckedSeq;
            if (options.log && performance.now() - lastLog > 10_000) {
              lastLog = performance.now();
              options.log(`prefill: ${written} entries in ${Math.round((lastLog - began) / 1000)} s`);
            }
            return producer.lastAckedSeq >= perRun || written >= options.entries;
          }, deadline);
          written += producer.lastAckedSeq - counted;
          problems.push(...producer.stats.unexpected);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { entries: written, runs, seconds: (performance.now() - began) / 1000, problems };
}
