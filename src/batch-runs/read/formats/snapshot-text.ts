/**
 * A page of the JSONB snapshot as PostgreSQL's own text (`activity_log::text`, or the text of a slice
 * of it), read without JSON.parse: each entry is matched in place and its JSON, as the formats show it
 * (entryJson's key order and escapes), is assembled from the matched pieces of text.
 *
 * PostgreSQL writes a jsonb value in one fixed shape: keys ordered by length, then bytes (seq, level,
 * phase, spanId, message, traceId, timestamp), `": "` and `", "` as separators, and strings escaped
 * exactly as JSON.stringify escapes them (\" \\ \b \f \n \r \t, other controls below U+0020 as \u00xx;
 * a text value holds neither NUL nor lone surrogates). So a string's text is copied as it is. Anything
 * else (an entry of another shape, a trace id with an escape) makes the page fall back to JSON.parse,
 * which gives the same bytes, only slower.
 */
import { StoredLogEntry } from '../../domain/run.events';

export class SnapshotText {
  /** `text` is a jsonb array's text; `count`, how many entries the query said it holds. */
  constructor(
    readonly text: string,
    readonly count: number,
  ) {}
}

const STRING = String.raw`"[^"\\]*(?:\\.[^"\\]*)*"`;
/** A trace or span id: no escape in it, so its text between the quotes is its value. */
const PLAIN = String.raw`"[^"\\]*"`;
const ENTRY = new RegExp(
  String.raw`\{"seq": (\d+), "level": (${STRING}), "phase": (null|${STRING}), (?:"spanId": (${PLAIN}), )?"message": (${STRING}), (?:"traceId": (${PLAIN}), )?"timestamp": (${STRING})\}(, |\])`,
  'y',
);

/** The pieces of one entry's text, in the order the formats show them. */
export interface EntryText {
  seq: string;
  timestamp: string;
  level: string;
  phase: string;
  message: string;
  /** Quoted, or undefined when absent (an empty id is absent, as entryJson treats it). */
  traceId: string | undefined;
  spanId: string | undefined;
}

/** Calls `each` for every entry of the page in order; false when the text is not of the expected shape (nothing was called then). */
export function scanSnapshotText(page: SnapshotText, each: (e: EntryText) => void): boolean {
  const text = page.text;
  if (text === '[]') return true;
  const found: EntryText[] = [];
  ENTRY.lastIndex = 1;
  if (text.charCodeAt(0) !== 0x5b /* [ */) return false;
  for (;;) {
    const m = ENTRY.exec(text);
    if (!m) return false;
    found.push({
      seq: m[1],
      level: m[2],
      phase: m[3],
      spanId: m[4] === undefined || m[4] === '""' ? undefined : m[4],
      message: m[5],
      traceId: m[6] === undefined || m[6] === '""' ? undefined : m[6],
      timestamp: m[7],
    });
    if (m[8] === ']') break;
  }
  if (ENTRY.lastIndex !== text.length) return false;
  for (const e of found) each(e);
  return true;
}

/** An entry's JSON from its pieces: byte for byte entryJson(entry). */
export function entryTextJson(e: EntryText): string {
  let json = `{"seq":${e.seq},"timestamp":${e.timestamp},"level":${e.level},"phase":${e.phase},"message":${e.message}`;
  if (e.traceId !== undefined) json += `,"trace_id":${e.traceId}`;
  if (e.spanId !== undefined) json += `,"span_id":${e.spanId}`;
  return `${json}}`;
}

function unquote(json: string): string {
  return json.indexOf('\\') < 0 ? json.slice(1, -1) : (JSON.parse(json) as string);
}

/** The entry itself (for TXT and for readers of entries). */
export function entryTextEntry(e: EntryText): StoredLogEntry {
  const entry: StoredLogEntry = {
    seq: Number(e.seq),
    timestamp: unquote(e.timestamp),
    level: unquote(e.level) as StoredLogEntry['level'],
    phase: e.phase === 'null' ? null : unquote(e.phase),
    message: unquote(e.message),
  };
  if (e.traceId !== undefined) entry.traceId = e.traceId.slice(1, -1);
  if (e.spanId !== undefined) entry.spanId = e.spanId.slice(1, -1);
  return entry;
}

/** The page's entries, parsed: by the scan, or by JSON.parse when the text has another shape. */
export function snapshotEntries(page: SnapshotText): StoredLogEntry[] {
  const entries: StoredLogEntry[] = [];
  if (scanSnapshotText(page, (e) => entries.push(entryTextEntry(e)))) return entries;
  return parseSnapshotText(page);
}

/** The slow, general way: what the pg driver did with each jsonb row. */
export function parseSnapshotText(page: SnapshotText): StoredLogEntry[] {
  const entries = JSON.parse(page.text) as StoredLogEntry[];
  if (!Array.isArray(entries)) throw new Error('snapshot page is not a JSON array');
  return entries;
}
