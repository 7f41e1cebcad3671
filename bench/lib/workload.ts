/**
 * The rows every figure is measured on: log lines as a batch job writes them (about 90 characters,
 * mostly info, some warnings and errors), generated deterministically so runlog and the baselines
 * store the same text.
 */
import { NewLogEntry } from '../../src/batch-runs/domain/run.commands';

export interface BenchLine {
  level: 'info' | 'warning' | 'error';
  phase: string;
  message: string;
}

const FEEDS = ['custodian', 'market-data', 'fx-rates', 'reference', 'corporate-actions'];

export function benchLine(i: number, phase = 'ingest'): BenchLine {
  const level = i % 100 === 99 ? 'error' : i % 20 === 19 ? 'warning' : 'info';
  const feed = FEEDS[i % FEEDS.length];
  const message =
    level === 'error'
      ? `job ${i}: ${feed} feed rejected position file ${(i * 7919) % 100000}.csv (checksum mismatch), will retry`
      : `job ${i}: priced ${(i * 37) % 500} positions of portfolio ${(i * 131) % 9973} from ${feed} feed in ${(i * 13) % 900} ms`;
  return { level, phase, message };
}

export function benchLines(count: number, offset = 0, phase = 'ingest'): BenchLine[] {
  return Array.from({ length: count }, (_, k) => benchLine(offset + k, phase));
}

export function toEntries(lines: BenchLine[]): NewLogEntry[] {
  return lines.map((l) => ({ level: l.level, message: l.message, phase: l.phase }));
}

/** A stored row of the entry table's shape, for the baselines. */
export interface BareRow {
  batchRunId: string;
  seq: number;
  timestamp: string;
  level: string;
  phase: string;
  message: string;
}

export function bareRows(batchRunId: string, lines: BenchLine[], firstSeq = 1): BareRow[] {
  const timestamp = new Date().toISOString();
  return lines.map((l, k) => ({ batchRunId, seq: firstSeq + k, timestamp, level: l.level, phase: l.phase, message: l.message }));
}

function copyField(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** COPY ... FROM STDIN text format. */
export function copyText(rows: BareRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${copyField(r.batchRunId)}\t${r.seq}\t${r.timestamp}\t${r.level}\t${copyField(r.phase)}\t${copyField(r.message)}\n`;
  }
  return out;
}
