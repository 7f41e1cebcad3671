/** How a log download is documented: three media types, one per format, and the headers that come with it. */
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { LogDocumentSchema, LogEntrySchema } from '../batch-runs/http/dto/run-responses';
import { LogFormat } from '../batch-runs/read/formats/log-format';
import { DROPPED_ENTRIES_HEADER, TOTAL_ENTRIES_HEADER } from './log-download';

/** The 200 of a download route: format=json, txt or ndjson picks the media type (`defaultFormat` when absent). */
export function ApiLogDownload(defaultFormat: LogFormat): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(LogDocumentSchema, LogEntrySchema),
    ApiResponse({
      status: 200,
      description: `The log, streamed (chunked); the media type follows ?format= (default ${defaultFormat}). A download that fails half-way is cut, never sent short as if whole.`,
      headers: {
        'Content-Disposition': { description: 'attachment; filename="<batch_run_id>_logs.<format>"', schema: { type: 'string' } },
        [TOTAL_ENTRIES_HEADER]: { description: "The run's stored entry count (every format; the answer may hold fewer: a filter, a limit, around_seq).", schema: { type: 'integer', minimum: 0 } },
        [DROPPED_ENTRIES_HEADER]: { description: "Entries refused at the run's entry cap (MAX_ENTRIES_PER_RUN): counted, never stored.", schema: { type: 'integer', minimum: 0 } },
        'X-RateLimit-Limit': { description: 'Downloads allowed per minute per principal.', schema: { type: 'integer', minimum: 0 } },
        'X-RateLimit-Remaining': { description: 'Downloads left in this minute.', schema: { type: 'integer', minimum: 0 } },
        'X-RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer', minimum: 0 } },
      },
      content: {
        'application/json': { schema: { $ref: getSchemaPath(LogDocumentSchema) } },
        'text/plain': { schema: { type: 'string', description: 'A header with the run, a line of 72 dashes, then `<timestamp> <LEVEL> [<phase>] <message>` per entry (ANSI escape sequences stripped, or SGR kept raw with ansi=keep), then one trailer line: `-- entries <first>-<last> of <total>` and `, complete` or `; more after seq <n> (after_seq=<n>)`.' } },
        'application/x-ndjson': { schema: { type: 'string', description: `One ${'LogEntry'} as JSON per line (${getSchemaPath(LogEntrySchema)}), each ending in \\n; no run header.` } },
      },
    }),
  );
}
