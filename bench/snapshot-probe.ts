/**
 * How long a phase completion (with its snapshot write) takes as a run's log grows, and what an
 * append to another run in the same lane waits meanwhile. Not part of `npm run bench`; run with
 * `npm run build && node dist/bench/snapshot-probe.js` (embedded PostgreSQL, or DATABASE_URL).
 */
import 'reflect-metadata';
import { runMigrations } from '../src/database/migrate';
import { startBenchApp } from './lib/apps';
import { openBenchDatabase } from './lib/db';
import { nowMs } from './lib/stats';
import { benchLines, toEntries } from './lib/workload';

async function main(): Promise<void> {
  const db = await openBenchDatabase((l) => console.log(l));
  try {
    await runMigrations(db.url);
    const app = await startBenchApp(db.url, { GROUP_COMMIT_LANES: '1' });
    try {
      const phases = Array.from({ length: 8 }, (_, i) => `phase-${i + 1}`);
      await app.start('probe-big', phases);
      await app.start('probe-neighbour', ['p']);
      let seq = 0;
      for (const phase of phases) {
        for (let k = 0; k < 25; k++) {
          await app.append('probe-big', toEntries(benchLines(500, seq, phase)));
          seq += 500;
        }
        const began = nowMs();
        const completion = app.completePhase('probe-big', phase);
        // An append to another run, submitted while the completion is in flight: same lane (one lane).
        await new Promise((r) => setImmediate(r));
        const neighbourBegan = nowMs();
        await app.append('probe-neighbour', toEntries(benchLines(1, seq)));
        const neighbourMs = nowMs() - neighbourBegan;
        await completion;
        console.log(`${phase}: log ${seq} entries, completion with snapshot ${(nowMs() - began).toFixed(0)} ms, neighbour append waited ${neighbourMs.toFixed(0)} ms`);
      }
    } finally {
      await app.close();
    }
  } finally {
    await db.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
