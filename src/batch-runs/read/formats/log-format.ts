/**
 * The download formats, each a pure function from a run and its (streamed) entries to a stream of
 * text chunks. Chunks are whole lines batched into strings of about CHUNK_CHARS, so a download of
 * any size costs one small buffer, not the whole log, and few writes.
 */
import { keepSgrOnly, SGR_SEQUENCE, stripAnsi } from '../../domain/ansi';
import { StoredLogEntry } from '../../domain/run.events';
import { LogExtent } from '../log-extent';
import { LogPage, LogSource } from '../run-log.reader';
import { snapshotEntries, snapshotJson, SnapshotText } from './snapshot-text';
import { RunRecord } from '../run-record';
import { presentRun } from './run.presenter';

export const LOG_FORMATS = ['json', 'txt', 'ndjson'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const CONTENT_TYPES: Record<LogFormat, string> = {
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** What the TXT download does with ANSI escape sequences (domain/ansi.ts): remove them all, or keep SGR (colour, bold) raw. */
export const ANSI_MODES = ['strip', 'keep'] as const;
export type AnsiMode = (typeof ANSI_MODES)[number];

const CHUNK_CHARS = 64 * 1024;

export interface FormatInput {
  run: RunRecord;
  source: LogSource;
  /** The entries in seq order, a page at a time (see LogPage). */
  pages: AsyncIterable<LogPage>;
  /** What was read and whether more follows: read once the pages have ended (the JSON tail, the TXT trailer). */
  extent: LogExtent;
  /** A description of the filter applied (for the TXT header), or null for the whole log. */
  filter: string | null;
  /** TXT only: strip (default) or keep SGR sequences; JSON and NDJSON keep messages as stored. */
  ansi?: AnsiMode;
}

export function formatLog(format: LogFormat, input: FormatInput): AsyncIterable<string> {
  switch (format) {
    case 'json':
      return formatJson(input);
    case 'txt':
      return formatTxt(input);
    case 'ndjson':
      return formatNdjson(input);
  }
}

/** An entry as every format shows it: fixed key order, seq first; trace and span ids only where the entry has them. */
export function entryJson(e: StoredLogEntry): string {
  return JSON.stringify(entryObject(e));
}

/** The object entryJson stringifies (hex trace and span ids: JSON.stringify leaves them as they are). */
function entryObject(e: StoredLogEntry): object {
  if (!e.traceId && !e.spanId) return { seq: e.seq, timestamp: e.timestamp, level: e.level, phase: e.phase, message: e.message };
  const o: Record<string, unknown> = { seq: e.seq, timestamp: e.timestamp, level: e.level, phase: e.phase, message: e.message };
  if (e.traceId) o.trace_id = e.traceId;
  if (e.spanId) o.span_id = e.spanId;
  return o;
}

/** Entries stringified together: V8's JSON.stringify of an array of like objects beats one call per entry by far. */
const JSON_BATCH = 500;

/**
 * The JSON of a page's entries joined by `separator`, and how many there are. A snapshot page's text
 * is rearranged in one pass (snapshot-text.ts), parsed only when it has another shape.
 */
function pageJson(page: LogPage, separator: ',' | '\n'): { text: string; count: number } {
  if (page instanceof SnapshotText) {
    const passed = snapshotJson(page, separator);
    if (passed) return passed;
    return pageJson(snapshotEntries(page), separator);
  }
  if (separator === '\n') return { text: page.map(entryJson).join('\n'), count: page.length };
  const parts: string[] = [];
  for (let i = 0; i < page.length; i += JSON_BATCH) {
    parts.push(JSON.stringify(page.slice(i, i + JSON_BATCH).map(entryObject)).slice(1, -1));
  }
  return { text: parts.join(','), count: page.length };
}

/**
 * entry_count and the rest of how complete the answer is come after the entries: they count what was
 * streamed, filtered or not. dropped_entries is among them, not in the run's head (one key once).
 */
async function* formatJson({ run, source, pages, extent }: FormatInput): AsyncIterable<string> {
  const head = JSON.stringify({ ...presentRun(run), dropped_entries: undefined, source });
  const out = new Chunks();
  out.push(`${head.slice(0, -1)},"entries":[`);
  let count = 0;
  for await (const page of pages) {
    const json = pageJson(page, ',');
    if (json.count === 0) continue;
    if (count > 0) out.push(',');
    out.push(json.text);
    count += json.count;
    yield* out.full();
  }
  out.push(`],"entry_count":${count},${completenessJson(run, extent)}}\n`);
  yield* out.rest();
}

/** After entry_count: the seq range returned, the run's stored and dropped counts, and the after_seq that continues (null: nothing more). */
function completenessJson(run: RunRecord, extent: LogExtent): string {
  return (
    `"first_seq":${extent.firstSeq},"last_seq":${extent.lastSeq},"total_entries":${run.entryCount},` +
    `"dropped_entries":${run.droppedEntries},"next_after_seq":${extent.nextAfterSeq}`
  );
}

async function* formatNdjson({ pages }: FormatInput): AsyncIterable<string> {
  const out = new Chunks();
  for await (const page of pages) {
    const json = pageJson(page, '\n');
    if (json.count === 0) continue;
    out.push(json.text);
    out.push('\n');
    yield* out.full();
  }
  yield* out.rest();
}

async function* formatTxt({ run, source, pages, extent, filter, ansi = 'strip' }: FormatInput): AsyncIterable<string> {
  const out = new Chunks();
  out.push(txtHeader(run, source, filter));
  const line = ansi === 'keep' ? txtLineKeepingSgr : txtLine;
  let any = false;
  for await (const page of pages) {
    const entries = page instanceof SnapshotText ? snapshotEntries(page) : page;
    for (const e of entries) out.push(line(e));
    any ||= entries.length > 0;
    yield* out.full();
  }
  if (!any) out.push('No activity log entries available\n');
  out.push(txtTrailer(run, extent));
  yield* out.rest();
}

/**
 * The last line: the seq range returned and whether more follow, e.g. `-- entries 1-500 of 1200; more
 * after seq 500 (after_seq=500)` or `-- entries 1-1200 of 1200, complete`. It starts with `--`, which
 * no entry line (a timestamp) and no continuation line (four spaces) can.
 */
export function txtTrailer(run: RunRecord, extent: LogExtent): string {
  const { firstSeq, lastSeq, count, nextAfterSeq } = extent;
  const range =
    firstSeq === null || lastSeq === null ? 'no entries' : `entries ${firstSeq}-${lastSeq}${count === lastSeq - firstSeq + 1 ? '' : ` (${count} matching)`}`;
  const more =
    nextAfterSeq !== null ? `; more after seq ${nextAfterSeq} (after_seq=${nextAfterSeq})` : count === run.entryCount ? ', complete' : ', no more follow';
  const dropped = run.droppedEntries > 0 ? `; ${run.droppedEntries} more dropped at the entry cap (not stored)` : '';
  return `-- ${range} of ${run.entryCount}${more}${dropped}\n`;
}

function txtHeader(run: RunRecord, source: LogSource, filter: string | null): string {
  return [
    `Batch run:   ${oneLine(run.batchRunId)}`,
    `Portfolio:   ${run.portfolioId ?? '-'}`,
    `Owner:       ${run.ownerId === null ? '-' : oneLine(run.ownerId)}`,
    `Status:      ${run.status}`,
    `Started:     ${run.startedAt}`,
    `Completed:   ${run.completedAt ?? '-'}`,
    `Jobs:        ${run.totalJobs} total, ${run.completedJobs} completed, ${run.failedJobs} failed`,
    `Entries:     ${run.entryCount}`,
    ...(filter ? [`Filter:      ${oneLine(filter)}`] : []),
    `Source:      ${source}`,
    '-'.repeat(72),
    '',
  ].join('\n');
}

/**
 * Any line break a viewer might honour (CR, LF, CRLF, VT, FF, NEL, LS, PS) starts an indented
 * continuation line, so a message can never forge a line that looks like an entry of its own.
 */
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;
/** Other C0/C1 controls (a lone ESC, backspace...) are shown escaped, not sent to a terminal (whole escape sequences are stripped or kept first: txtLine, txtLineKeepingSgr). */
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
/** A tab is the one C0 control left that could reach the body raw: it becomes spaces (a stack trace's "\tat ..." reads as one). */
const TAB = /\t/g;
const TAB_SPACES = '    ';

/** Any character one of the three replacements above touches: most messages have none and are used as they are. */
const SPECIAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const UPPER_LEVELS: Record<string, string> = { info: 'INFO', warning: 'WARNING', error: 'ERROR' };

/** An SGR sequence (ansi.ts's SGR_SEQUENCE, unanchored) or a control: `ansi=keep` passes the first raw and escapes the second. */
const SGR_OR_CONTROL = new RegExp(`${SGR_SEQUENCE.source.replace(/^\^|\$$/g, '')}|${CONTROLS.source}`, 'g');

const escapeControl = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The TXT line of an entry, its ANSI escape sequences removed (ansi=strip, the default). */
export function txtLine(e: StoredLogEntry): string {
  return entryLine(e, SPECIAL.test(e.message) ? shownAsText(stripAnsi(e.message).replace(CONTROLS, escapeControl)) : e.message);
}

/** The TXT line of an entry with its SGR sequences (colour, bold) raw, every other sequence removed, every other control escaped (ansi=keep). */
export function txtLineKeepingSgr(e: StoredLogEntry): string {
  const escaped = (text: string) => text.replace(SGR_OR_CONTROL, (c) => (c.length > 1 ? c : escapeControl(c)));
  return entryLine(e, SPECIAL.test(e.message) ? shownAsText(escaped(keepSgrOnly(e.message))) : e.message);
}

/** Tabs as spaces, and every line break an indented continuation line. */
function shownAsText(message: string): string {
  return message.replace(TAB, TAB_SPACES).replace(LINE_BREAKS, '\n    ');
}

function entryLine(e: StoredLogEntry, message: string): string {
  const phase = e.phase === null ? '' : ` [${oneLine(e.phase)}]`;
  const trace = e.traceId || e.spanId ? traceTxt(e) : '';
  return `${e.timestamp} ${UPPER_LEVELS[e.level] ?? e.level.toUpperCase()}${phase}${trace} ${message}\n`;
}

/** Before the message, which may run over several lines: ` trace_id=… span_id=…` (hex, as the decider checked). */
function traceTxt(e: StoredLogEntry): string {
  return `${e.traceId ? ` trace_id=${e.traceId}` : ''}${e.spanId ? ` span_id=${e.spanId}` : ''}`;
}

function oneLine(text: string): string {
  return SPECIAL.test(text) ? text.replace(CONTROLS, ' ').replace(TAB, ' ').replace(LINE_BREAKS, ' ') : text;
}

/**
 * Collects small strings into chunks of about CHUNK_CHARS: fewer, larger writes to the socket. A page is
 * formatted synchronously into it, and only whole chunks are handed on (no await per entry).
 */
class Chunks {
  private parts: string[] = [];
  private size = 0;
  private ready: string[] = [];

  push(part: string): void {
    if (part.length >= CHUNK_CHARS) {
      // A page's text is a chunk of its own: handed on as it is, not copied into a join.
      if (this.size > 0) this.cut();
      this.ready.push(part);
      return;
    }
    this.parts.push(part);
    this.size += part.length;
    if (this.size >= CHUNK_CHARS) this.cut();
  }

  /** The chunks completed so far. */
  full(): string[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /** Every chunk, the last partial one included. */
  rest(): string[] {
    if (this.size > 0) this.cut();
    return this.full();
  }

  private cut(): void {
    this.ready.push(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
