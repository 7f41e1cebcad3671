/**
 * 6. The peer: @event-driven-io/emmett-postgresql doing the same ingestion and a full read-back on
 * the same database, in a child process (bench/emmett-child). runlog's side: its in-process rounds of
 * the same workloads (section 1), and RunLogReader.readAll of a 5,000-entry run on an instance that
 * did not write it (snapshot and entry table), the same number of times.
 */
import { BenchApp } from '../lib/apps';
import { runChild } from '../lib/child';
import { fmtInt, fmtMs, fmtRatio, median, nowMs } from '../lib/stats';
import { Section, section, verdict } from '../lib/report';
import { INGEST_CONFIGS, IngestResults, PRODUCERS } from './ingest';
import { DOWNLOAD_ENTRIES } from './downloads';

export async function peerSection(
  url: string,
  second: BenchApp,
  ingest: IngestResults,
  runs: { finishedRun: string; openRun: string },
  rounds: number,
  log: (l: string) => void,
): Promise<Section> {
  const configs = INGEST_CONFIGS.filter((c) => c.batch === 1 || c.batch === 100);
  const samples = 20;
  const peer = await runChild<{ rates: Record<string, number[]>; reads: number[] }>('emmett-child.js', {
    BENCH_EMMETT_ARGS: JSON.stringify({ url, rounds, producers: PRODUCERS, configs, readEntries: DOWNLOAD_ENTRIES, readSamples: samples }),
  });
  const readAll = async (id: string, source: string) => {
    const times: number[] = [];
    for (let i = 0; i < samples + 3; i++) {
      const t = nowMs();
      const log = await second.reader.readAll(id);
      const ms = nowMs() - t;
      if (log?.source !== source || log.entries.length !== DOWNLOAD_ENTRIES) throw new Error(`readAll(${id}): ${log?.source} ${log?.entries.length}`);
      if (i >= 3) times.push(ms);
    }
    return median(times);
  };
  const snapshotRead = await readAll(runs.finishedRun, 'snapshot');
  const entriesRead = await readAll(runs.openRun, 'entries');
  const emmettRead = median(peer.reads);
  log(`  emmett: ${Object.entries(peer.rates).map(([k, v]) => `${k} ${fmtInt(median(v))}/s`).join(', ')}, read ${fmtMs(emmettRead)}`);
  const s = section('peer', `6. The peer: @event-driven-io/emmett-postgresql on the same database (own process), median of ${rounds} rounds / ${samples} reads`);
  for (const cfg of configs) {
    const r = ingest.medians[`runlog b${cfg.batch}`];
    const e = median(peer.rates[`b${cfg.batch}`]);
    // The issue's target is for batches of 100 (the usual producer); batches of 1 are for information.
    const targeted = cfg.batch === 100;
    s.rows.push({
      measure: `ingestion, ${PRODUCERS} producers, batch of ${cfg.batch} (entries/s)`,
      value: fmtInt(r),
      baseline: `emmett ${fmtInt(e)}`,
      ratio: `runlog/emmett ${fmtRatio(r / e)}`,
      target: targeted ? '≥ 1.0×' : '',
      verdict: targeted ? verdict(r / e >= 1) : 'info',
    });
  }
  s.rows.push({ measure: `read-back of ${DOWNLOAD_ENTRIES} entries (runlog: snapshot)`, value: fmtMs(snapshotRead), baseline: `emmett ${fmtMs(emmettRead)}`, ratio: `runlog/emmett ${fmtRatio(snapshotRead / emmettRead)} (time)`, target: '', verdict: 'info' });
  s.rows.push({ measure: `read-back of ${DOWNLOAD_ENTRIES} entries (runlog: entry table)`, value: fmtMs(entriesRead), baseline: `emmett ${fmtMs(emmettRead)}`, ratio: `runlog/emmett ${fmtRatio(entriesRead / emmettRead)} (time)`, target: '', verdict: 'info' });
  s.notes.push(
    `emmett rounds (entries/s): ${Object.entries(peer.rates).map(([k, v]) => `${k}: ${v.map(fmtInt).join(' / ')}`).join('; ')}. ` +
      `emmett writes one LogAppended event per append (appendToStream, default options) carrying the entries as runlog's event does; it writes no per-entry rows, no run row and no snapshot. ` +
      `Read-back: emmett readStream of a ${DOWNLOAD_ENTRIES}-entry stream (50 events of 100) flattened to entries; runlog RunLogReader.readAll on an instance that did not write the run. ` +
      `For ingestion a ratio above 1 means runlog is faster; for read-back (times) below 1 means runlog is faster.`,
  );
  return s;
}
