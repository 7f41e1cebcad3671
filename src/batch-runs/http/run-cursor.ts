/** The admin list's keyset cursor: the (started_at, batch_run_id) of the last run of a page, opaque to clients. */
import { BadRequestException } from '@nestjs/common';

export interface RunCursor {
  startedAt: string;
  batchRunId: string;
}

export function encodeCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.batchRunId])).toString('base64url');
}

export function decodeCursor(text: string): RunCursor {
  try {
    const [startedAt, batchRunId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof startedAt === 'string' && typeof batchRunId === 'string' && !Number.isNaN(Date.parse(startedAt))) {
      return { startedAt, batchRunId };
    }
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw new BadRequestException('cursor is invalid: pass next_cursor from a previous page');
}
