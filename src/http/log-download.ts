/**
 * Sends a log as a download: the headers, then the formatted log streamed with backpressure
 * (StreamableFile pipes a Readable into the response), so memory stays flat whatever the log's size.
 */
import { StreamableFile } from '@nestjs/common';
import { Readable } from 'stream';
import { CONTENT_TYPES, formatLog, LogFormat } from '../batch-runs/read/formats/log-format';
import { RunLog } from '../batch-runs/read/run-log.reader';

export function downloadLog(log: RunLog, format: LogFormat, filter: string | null = null): StreamableFile {
  const body = Readable.from(formatLog(format, { ...log, filter }), { objectMode: false, highWaterMark: 1 });
  return new StreamableFile(body, {
    type: CONTENT_TYPES[format],
    disposition: `attachment; filename="${safeFileName(log.run.batchRunId)}_logs.${format}"`,
  });
}

/** Whatever an id holds, the header gets only [A-Za-z0-9_.-]: no quote, CR/LF or path can slip in. */
export function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 128) || 'run';
}
