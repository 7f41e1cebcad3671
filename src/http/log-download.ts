/**
 * Sends a log as a download: the headers, then the formatted log streamed with backpressure
 * (StreamableFile pipes a Readable into the response), so memory stays flat whatever the log's size.
 * Every format says how complete the log is in headers known before the first byte (the run's stored
 * and dropped counts); the JSON tail and the TXT trailer add the range returned and what follows.
 */
import { Logger, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'stream';
import { serverFailure } from './error-body';
import { AnsiMode, CONTENT_TYPES, formatLog, LogFormat } from '../batch-runs/read/formats/log-format';
import { RunLog } from '../batch-runs/read/run-log.reader';

/** The run's stored entry count and the entries refused at its entry cap, on every download. */
export const TOTAL_ENTRIES_HEADER = 'X-Runlog-Total-Entries';
export const DROPPED_ENTRIES_HEADER = 'X-Runlog-Dropped-Entries';

export interface DownloadOptions {
  /** A description of the filter applied (the TXT header), or null for the whole log. */
  filter?: string | null;
  /** TXT only (default strip). */
  ansi?: AnsiMode;
}

export function downloadLog(log: RunLog, format: LogFormat, response: Response, { filter = null, ansi }: DownloadOptions = {}): StreamableFile {
  response.setHeader(TOTAL_ENTRIES_HEADER, String(log.run.entryCount));
  response.setHeader(DROPPED_ENTRIES_HEADER, String(log.run.droppedEntries));
  const body = Readable.from(formatLog(format, { ...log, filter, ansi }), { objectMode: false, highWaterMark: 1 });
  return new StreamableFile(body, {
    type: CONTENT_TYPES[format],
    disposition: `attachment; filename="${safeFileName(log.run.batchRunId)}_logs.${format}"`,
  }).setErrorHandler(failedDownload);
}

const logger = new Logger('download');

/**
 * A log that cannot be read is the server's failure, not the client's: 503 with Retry-After while the
 * database is unreachable, else 500 (StreamableFile's default answers 400 "Bad Request", telling the
 * client to change a request that was fine). Once bytes are out, the connection is cut, so a partial
 * download never looks complete.
 */
function failedDownload(error: Error, response: unknown): void {
  const res = response as Response;
  if (res.destroyed) return;
  logger.error(error?.stack ?? String(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { body, retryAfter } = serverFailure(error); // the exception filter's answer, built by the same function
  for (const header of ['Content-Disposition', TOTAL_ENTRIES_HEADER, DROPPED_ENTRIES_HEADER]) res.removeHeader(header);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  res.statusCode = body.statusCode;
  res.end(JSON.stringify(body));
}

/** Whatever an id holds, the header gets only [A-Za-z0-9_.-]: no quote, CR/LF or path can slip in. */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128) || 'run';
}
