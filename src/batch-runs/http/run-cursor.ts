/** The admin list's keyset cursor: the (started_at, batch_run_id) of the last run of a page, opaque to clients. */
import { BadRequestException } from '@nestjs/common';

export interface RunCursor {
  startedAt: string;
  batchRunId: string;
}

export function encodeCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.batchRunId])).toString('base64url');
}

/** started_at as the run row gives it (run.sql.ts ISO_UTC), year 0001 to 9999. */
const ISO_UTC_MS = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(text: string): RunCursor {
  try {
    const [startedAt, batchRunId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Only the shape encodeCursor writes: Date.parse reads "0" or "March 7" that PostgreSQL refuses, and a NUL
    // cannot be sent as text at all; either was a 500.
    if (typeof startedAt === 'string' && isRealMoment(startedAt) && typeof batchRunId === 'string' && !batchRunId.includes('\u0000')) {
      return { startedAt, batchRunId };
    }
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw new BadRequestException('cursor is invalid: pass next_cursor from a previous page');
}

/**
 * In the shape, and a moment that exists: Date rolls "2026-02-30" over to March 2nd and reads hour 24 as
 * the next day, where PostgreSQL refuses the first (a 500). A real moment reads back as the same text.
 */
function isRealMoment(text: string): boolean {
  if (!ISO_UTC_MS.test(text)) return false;
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}
