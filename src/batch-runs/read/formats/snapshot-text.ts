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
  /** `text` is a jsonb array's text; `count`, how many entries the query said it holds; `firstSeq`, the seq of its first (the snapshot holds seqs 1.. in order). */
  constructor(
    readonly text: string,
    readonly count: number,
    readonly firstSeq: number = 1,
  ) {}
}

const STRING = String.raw`"[^"\\]*(?:\\.[^"\\]*)*"`;
/** A trace or span id: no escape in it, so its text between the quotes is its value. */
const PLAIN = String.raw`"[^"\\]*"`;
/** One entry and what follows it: the separator, or the array's end. */
const ENTRY = new RegExp(
  String.raw`\{"seq": (\d+), "level": (${STRING}), "phase": (null|${STRING}), (?:"spanId": (${PLAIN}), )?"message": (${STRING}), (?:"traceId": (${PLAIN}), )?"timestamp": (${STRING})\}(, |\]$)`,
  'y',
);

/**
 * The JSON of the page's entries as the formats show them (entryJson of each), joined by `separator`,
 * in one pass over the text; null when the text is not of the expected shape (then nothing is built
 * beyond what is dropped).
 */
export function snapshotJson(page: SnapshotText, separator: string): { text: string; count: number } | null {
  const text = page.text;
  if (text === '[]') return { text: '', count: 0 };
  if (text.charCodeAt(0) !== 0x5b /* [ */) return null;
  let json = '';
  let count = 0;
  ENTRY.lastIndex = 1;
  for (;;) {
    const m = ENTRY.exec(text);
    if (m === null) return null; // something between entries that is not one: another shape
    if (count > 0) json += separator;
    json += `{"seq":${m[1]},"timestamp":${m[7]},"level":${m[2]},"phase":${m[3]},"message":${m[5]}`;
    if (m[6] !== undefined && m[6] !== '""') json += `,"trace_id":${m[6]}`;
    if (m[4] !== undefined && m[4] !== '""') json += `,"span_id":${m[4]}`;
    json += '}';
    count += 1;
    if (m[8] !== ', ') return { text: json, count }; // the array's end, at the text's end ($)
  }
}

/** The page's entries, parsed (one JSON.parse of the page's text: what the pg driver did once per entry). */
export function snapshotEntries(page: SnapshotText): StoredLogEntry[] {
  const entries = JSON.parse(page.text) as StoredLogEntry[];
  if (!Array.isArray(entries)) throw new Error('snapshot page is not a JSON array');
  return entries;
}
