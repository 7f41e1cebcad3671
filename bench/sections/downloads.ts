/**
 * 3. Downloads of a 5,000-entry run as JSON and TXT from each source, forced: memory (the instance
 * that wrote the run), snapshot (a second instance, run finished) and entries (a second instance,
 * a run that never completed a phase), against PostgreSQL returning the snapshot as text
 * (SELECT activity_log::text) for the same run. Requests and bare queries are interleaved.
 */
import { Client } from 'pg';
import { adminToken, BenchApp } from '../lib/apps';
import { download, sourceOf } from '../lib/http';
import { fmtMs, fmtRatio, nowMs, percentile } from '../lib/stats';
import { benchLines, toEntries } from '../lib/workload';
import { Section, section, verdict } from '../lib/report';
import { statementSummary, withCpuProfile, withStatementTimes } from '../lib/profile';

export const DOWNLOAD_ENTRIES = 5000;

export async function writeRun(app: BenchApp, id: string, entries: number, opts: { finish: boolean; batch?: number; phases?: number }): Promise<void> {
  const phases = Array.from({ length: opts.phases ?? 1 }, (_, i) => `phase-${i + 1}`);
  const batch = opts.batch ?? 100;
  await app.start(id, phases);
  const perPhase = Math.ceil(entries / phases.length);
  let written = 0;
  for (const phase of phases) {
    const end = Math.min(entries, written + perPhase);
    while (written < end) {
      const n = Math.min(batch, end - written);
      await app.append(id, toEntries(benchLines(n, written, phase)));
      written += n;
    }
    if (opts.finish && phases.length > 1) await app.completePhase(id, phase);
  }
  if (opts.finish) await app.finish(id);
}

export interface DownloadFigures {
  medians: Record<string, number>;
  p99: Record<string, number>;
}

export async function downloadsSection(
  writer: BenchApp,
  second: BenchApp,
  url: string,
  samples: number,
  log: (l: string) => void,
): Promise<{ section: Section; figures: DownloadFigures; finishedRun: string; openRun: string }> {
  const finishedRun = 'bench-download-finished';
  const openRun = 'bench-download-open';
  await writeRun(writer, finishedRun, DOWNLOAD_ENTRIES, { finish: true });
  await writeRun(writer, openRun, DOWNLOAD_ENTRIES, { finish: false });
  const token = await adminToken();
  const combos = [
    { source: 'memory', app: writer, run: finishedRun },
    { source: 'snapshot', app: second, run: finishedRun },
    { source: 'entries', app: second, run: openRun },
  ].flatMap((c) => (['json', 'txt'] as const).map((format) => ({ ...c, format, label: `${c.source} ${format}` })));
  const client = new Client({ connectionString: url, application_name: 'runlog-bench-bare' });
  await client.connect();
  client.on('error', () => undefined); // a failure below is reported by its own error, not by the server's shutdown cutting this client
  try {
  const bare = async () => {
    const t = nowMs();
    const { rows } = await client.query(`SELECT activity_log::text AS log FROM batch_run_history WHERE batch_run_id = $1`, [finishedRun]);
    if (!rows[0]?.log) throw new Error('bare query returned no snapshot');
    return nowMs() - t;
  };
  const times: Record<string, number[]> = { bare: [] };
  const sizes: Record<string, number> = {};
  // Check each combination is served from the source it is meant to force, and warm up.
  for (const c of combos) {
    for (let i = 0; i < 3; i++) {
      const d = await download(`${c.app.baseUrl}/api/v1/admin/batch/history/${c.run}/logs?format=${c.format}`, token);
      if (d.status !== 200) throw new Error(`${c.label}: HTTP ${d.status}`);
      const source = sourceOf(d.head);
      if (source !== c.source) throw new Error(`${c.label}: served from ${source}, expected ${c.source}`);
      sizes[c.label] = d.bytes;
    }
    await bare();
  }
  for (let i = 0; i < samples; i++) {
    for (const c of combos) {
      const d = await download(`${c.app.baseUrl}/api/v1/admin/batch/history/${c.run}/logs?format=${c.format}`, token);
      (times[c.label] ??= []).push(d.totalMs);
    }
    times.bare.push(await bare());
  }
  const snapshotBytes = (await client.query(`SELECT octet_length(activity_log::text) AS n FROM batch_run_history WHERE batch_run_id = $1`, [finishedRun])).rows[0].n;
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, percentile(v, 50)]));
  const p99 = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, percentile(v, 99)]));
  log(`  downloads: ${Object.entries(medians).map(([k, v]) => `${k} ${fmtMs(v)}`).join(', ')}`);
  const s = section('downloads', `3. Downloads of a ${DOWNLOAD_ENTRIES.toLocaleString('en-US')}-entry run over HTTP, median / p99 of ${samples} requests each`);
  const bareText = `${fmtMs(medians.bare)} / ${fmtMs(p99.bare)}`;
  for (const c of combos) {
    const ratio = medians[c.label] / medians.bare;
    const target = c.source === 'snapshot' ? '≤ 1.5× bare' : c.source === 'memory' ? '< 1× bare' : '';
    const ok = c.source === 'snapshot' ? ratio <= 1.5 : c.source === 'memory' ? ratio < 1 : true;
    s.rows.push({
      measure: `${c.label} (${(sizes[c.label] / 1024).toFixed(0)} KiB)`,
      value: `${fmtMs(medians[c.label])} / ${fmtMs(p99[c.label])}`,
      baseline: `bare ${bareText}`,
      ratio: fmtRatio(ratio),
      target,
      verdict: target ? verdict(ok) : 'info',
    });
  }
  s.notes.push(
    `Bare query: \`SELECT activity_log::text FROM batch_run_history WHERE batch_run_id = $1\` from a plain pg client in the benchmark process (${(snapshotBytes / 1024).toFixed(0)} KiB of text). ` +
      `Downloads are GET /api/v1/admin/batch/history/:id/logs?format=… over a keep-alive connection, timed to the last byte; the JSON/TXT header \`source\` was checked for every combination. With ${samples} samples, p99 is the slowest one.`,
  );
  // What limits a missed snapshot download: more of them, with runlog's SQL timed, then under the CPU profiler (the server is this process).
  for (const c of combos.filter((c) => c.source === 'snapshot' && medians[c.label] / medians.bare > 1.5)) {
    const downloads = async () => {
      const t = nowMs();
      for (let i = 0; i < samples; i++) await download(`${c.app.baseUrl}/api/v1/admin/batch/history/${c.run}/logs?format=${c.format}`, token);
      return (nowMs() - t) / samples;
    };
    const { value: timedMs, times: statements } = await withStatementTimes(downloads);
    const prof = await withCpuProfile(downloads);
    s.notes.push(
      '',
      `Profile of ${samples} more ${c.label} downloads (${fmtMs(timedMs)} each with SQL timed, ${fmtMs(prof.value)} under the CPU profiler; the bare query took ${fmtMs(medians.bare)}):`,
      '',
      '```',
      statementSummary(statements, samples, 'download'),
      '',
      prof.summary,
      '```',
    );
  }
  return { section: s, figures: { medians, p99 }, finishedRun, openRun };
  } finally {
    await client.end().catch(() => undefined);
  }
}
