/**
 * Sends a log as a download: the headers, then the formatted log streamed with backpressure
 * (StreamableFile pipes a Readable into the response), so memory stays flat whatever the log's size.
 */
import { Logger, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'stream';
import { serverFailure } from './error-body';
import { CONTENT_TYPES, formatLog, LogFormat } from '../batch-runs/read/formats/log-format';
import { RunLog } from '../batch-runs/read/run-log.reader';

export function downloadLog(log: RunLog, format: LogFormat, filter: string | null = null): StreamableFile {
  const body = Readable.from(formatLog(format, { ...log, filter }), { objectMode: false, highWaterMark: 1 });
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
  res.removeHeader('Content-Disposition');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  res.statusCode = body.statusCode;
  res.end(JSON.stringify(body));
}

/** Whatever an id holds, the header gets only [A-Za-z0-9_.-]: no quote, CR/LF or path can slip in. */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128) || 'run';
}
