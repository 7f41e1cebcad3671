/**
 * The download formats, each a pure function from a run and its (streamed) entries to a stream of
 * text chunks. Chunks are whole lines batched into strings of about CHUNK_CHARS, so a download of
 * any size costs one small buffer, not the whole log, and few writes.
 */
import { StoredLogEntry } from '../../domain/run.events';
import { LogSource } from '../run-log.reader';
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
  entries: AsyncIterable<StoredLogEntry>;
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
  const json = JSON.stringify({ seq: e.seq, timestamp: e.timestamp, level: e.level, phase: e.phase, message: e.message });
  return e.traceId || e.spanId ? `${json.slice(0, -1)}${traceJson(e)}}` : json;
}

function traceJson(e: StoredLogEntry): string {
  return `${e.traceId ? `,"trace_id":"${e.traceId}"` : ''}${e.spanId ? `,"span_id":"${e.spanId}"` : ''}`; // hex: nothing to escape
}

/** entry_count comes after the entries: it counts what was streamed, filtered or not. */
async function* formatJson({ run, source, entries }: FormatInput): AsyncIterable<string> {
  const head = JSON.stringify({ ...presentRun(run), source });
  yield* batched(
    (async function* () {
      yield `${head.slice(0, -1)},"entries":[`;
      let count = 0;
      for await (const e of entries) {
        yield count === 0 ? entryJson(e) : `,${entryJson(e)}`;
        count += 1;
      }
      yield `],"entry_count":${count}}\n`;
    })(),
  );
}

async function* formatNdjson({ entries }: FormatInput): AsyncIterable<string> {
  yield* batched(
    (async function* () {
      for await (const e of entries) yield `${entryJson(e)}\n`;
    })(),
  );
}

async function* formatTxt({ run, source, entries, filter }: FormatInput): AsyncIterable<string> {
  yield* batched(
    (async function* () {
      yield txtHeader(run, source, filter);
      let any = false;
      for await (const e of entries) {
        any = true;
        yield txtLine(e);
      }
      if (!any) yield 'No activity log entries available\n';
    })(),
  );
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

export function txtLine(e: StoredLogEntry): string {
  const message = e.message
    .replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(TAB, TAB_SPACES)
    .replace(LINE_BREAKS, '\n    ');
  const phase = e.phase === null ? '' : ` [${oneLine(e.phase)}]`;
  return `${e.timestamp} ${e.level.toUpperCase()}${phase}${traceTxt(e)} ${message}\n`;
}

/** Before the message, which may run over several lines: ` trace_id=… span_id=…` (hex, as the decider checked). */
function traceTxt(e: StoredLogEntry): string {
  return `${e.traceId ? ` trace_id=${e.traceId}` : ''}${e.spanId ? ` span_id=${e.spanId}` : ''}`;
}

function oneLine(text: string): string {
  return text.replace(CONTROLS, ' ').replace(TAB, ' ').replace(LINE_BREAKS, ' ');
}

/** Joins small strings into chunks of about CHUNK_CHARS: fewer, larger writes to the socket. */
async function* batched(parts: AsyncIterable<string>): AsyncIterable<string> {
  let buffer: string[] = [];
  let size = 0;
  for await (const part of parts) {
    buffer.push(part);
    size += part.length;
    if (size >= CHUNK_CHARS) {
      yield buffer.join('');
      buffer = [];
      size = 0;
    }
  }
  if (size > 0) yield buffer.join('');
}
