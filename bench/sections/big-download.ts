/**
 * 4. A 100,000-entry download as NDJSON and TXT from a server in its own process (bench/server):
 * time to first byte, total time, and the growth of the server's resident set, sampled from
 * /proc/<pid>/status every few ms (VmRSS) and from its peak (VmHWM, reset before each download).
 */
import { spawn, ChildProcess } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import * as http from 'http';
import * as path from 'path';
import { adminToken, BenchApp } from '../lib/apps';
import { download, sourceOf } from '../lib/http';
import { fmtBytes, fmtMs, max, median } from '../lib/stats';
import { Section, section, verdict } from '../lib/report';
import { writeRun } from './downloads';

export const BIG_ENTRIES = 100_000;
const RSS_LIMIT = 64 * 1024 * 1024;

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

async function startServer(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'server.js')], {
    env: { ...process.env, BENCH_SERVER_DATABASE_URL: url },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
}

export async function bigDownloadSection(writer: BenchApp, url: string, rounds: number, log: (l: string) => void): Promise<Section> {
  const finished = 'bench-big-finished';
  const open = 'bench-big-open';
  await writeRun(writer, finished, BIG_ENTRIES, { finish: true, batch: 1000 });
  await writeRun(writer, open, BIG_ENTRIES, { finish: false, batch: 1000 });
  const { child, port } = await startServer(url);
  const pid = child.pid!;
  const token = await adminToken();
  const agent = new http.Agent({ keepAlive: false });
  const base = `http://127.0.0.1:${port}/api/v1/admin/batch/history`;
  const s = section('big', `4. ${BIG_ENTRIES.toLocaleString('en-US')}-entry download from a server process of its own, median of ${rounds} rounds (RSS growth: largest)`);
  let peakReset = true;
  const served: Record<string, string> = {};
  try {
    // Warm-up: the routes, the JIT and the pool, on a small download.
    for (let i = 0; i < 3; i++) await download(`${base}/bench-download-finished/logs?format=ndjson`, token, 0, agent);
    const baseRss = statusKb(pid, 'VmRSS');
    for (const [source, run] of [['finished run', finished], ['running run', open]] as const) {
      for (const format of ['ndjson', 'txt'] as const) {
        const ttfb: number[] = [];
        const total: number[] = [];
        const growth: number[] = [];
        let bytes = 0;
        for (let r = 0; r < rounds; r++) {
          const before = statusKb(pid, 'VmRSS');
          peakReset = resetPeak(pid) && peakReset;
          let sampled = before;
          const timer = setInterval(() => (sampled = Math.max(sampled, statusKb(pid, 'VmRSS'))), 5);
          const d = await download(`${base}/${run}/logs?format=${format}`, token, 600, agent);
          clearInterval(timer);
          sampled = Math.max(sampled, statusKb(pid, 'VmRSS'));
          const peak = peakReset ? Math.max(sampled, statusKb(pid, 'VmHWM')) : sampled;
          if (d.status !== 200) throw new Error(`${source} ${format}: HTTP ${d.status}`);
          if (format === 'txt') served[source] = sourceOf(d.head) ?? 'unknown';
          ttfb.push(d.ttfbMs);
          total.push(d.totalMs);
          growth.push(peak - before);
          bytes = d.bytes;
        }
        const worst = max(growth);
        log(`  big ${source} ${format}: ttfb ${fmtMs(median(ttfb))}, total ${fmtMs(median(total))}, rss +${fmtBytes(worst)}`);
        s.rows.push({
          measure: `${source} ${format} (${fmtBytes(bytes)}): time to first byte`,
          value: fmtMs(median(ttfb)),
          baseline: '',
          ratio: '',
          target: '',
          verdict: 'info',
        });
        s.rows.push({ measure: `${source} ${format}: total time`, value: fmtMs(median(total)), baseline: '', ratio: '', target: '', verdict: 'info' });
        s.rows.push({
          measure: `${source} ${format}: server RSS growth`,
          value: fmtBytes(worst),
          baseline: `RSS before ${fmtBytes(baseRss)}`,
          ratio: '',
          target: '< 64 MiB',
          verdict: verdict(worst < RSS_LIMIT),
        });
      }
    }
  } finally {
    agent.destroy();
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
  s.notes.push(
    `Served from (the TXT header's Source): ${Object.entries(served).map(([run, from]) => `${run}: ${from}`).join('; ')}. A snapshot serves a log only when it holds it in one page (SNAPSHOT_PAGE, 5,000 entries), so a finished ${BIG_ENTRIES.toLocaleString('en-US')}-entry run is read from the entry table.`,
    `RSS growth = peak − RSS just before the download; the peak is the larger of VmRSS sampled every 5 ms and ${peakReset ? 'VmHWM (reset through /proc/<pid>/clear_refs before each download)' : 'nothing else (VmHWM could not be reset here)'}. ` +
      `"finished run": a finished run read by an instance that did not write it; "running run": a run that never completed a phase. The server is a fresh process (bench/server) on the same database.`,
  );
  return s;
}
