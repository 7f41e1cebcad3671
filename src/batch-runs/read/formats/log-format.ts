/**
 * The download formats, each a pure function from a run and its (streamed) entries to a stream of
 * text chunks. Chunks are whole lines batched into strings of about CHUNK_CHARS, so a download of
 * any size costs one small buffer, not the whole log, and few writes.
 */
import { StoredLogEntry } from '../../domain/run.events';
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

const CHUNK_CHARS = 64 * 1024;

export interface FormatInput {
  run: RunRecord;
  source: LogSource;
  /** The entries in seq order, a page at a time (see LogPage). */
  pages: AsyncIterable<LogPage>;
  /** A description of the filter applied (for the TXT header), or null for the whole log. */
  filter: string | null;
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

/** entry_count comes after the entries: it counts what was streamed, filtered or not. */
async function* formatJson({ run, source, pages }: FormatInput): AsyncIterable<string> {
  const head = JSON.stringify({ ...presentRun(run), source });
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
  out.push(`],"entry_count":${count}}\n`);
  yield* out.rest();
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

async function* formatTxt({ run, source, pages, filter }: FormatInput): AsyncIterable<string> {
  const out = new Chunks();
  out.push(txtHeader(run, source, filter));
  let any = false;
  for await (const page of pages) {
    const entries = page instanceof SnapshotText ? snapshotEntries(page) : page;
    for (const e of entries) out.push(txtLine(e));
    any ||= entries.length > 0;
    yield* out.full();
  }
  if (!any) out.push('No activity log entries available\n');
  yield* out.rest();
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
/** Other C0/C1 controls (escape sequences, backspace...) are shown escaped, not sent to a terminal. */
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
/** A tab is the one C0 control left that could reach the body raw: it becomes spaces (a stack trace's "\tat ..." reads as one). */
const TAB = /\t/g;
const TAB_SPACES = '    ';

/** Any character one of the three replacements above touches: most messages have none and are used as they are. */
const SPECIAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const UPPER_LEVELS: Record<string, string> = { info: 'INFO', warning: 'WARNING', error: 'ERROR' };

export function txtLine(e: StoredLogEntry): string {
  const message = SPECIAL.test(e.message)
    ? e.message
        .replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .replace(TAB, TAB_SPACES)
        .replace(LINE_BREAKS, '\n    ')
    : e.message;
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
