/** The in-run search's cursor: the seq of the last match of a page, opaque to clients. */
import { BadRequestException } from '@nestjs/common';
import { MAX_COUNT } from '../domain/run.limits';

export function encodeSearchCursor(afterSeq: number): string {
  return Buffer.from(JSON.stringify({ after_seq: afterSeq })).toString('base64url');
}

export function decodeSearchCursor(text: string): number {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const seq = value?.after_seq;
    if (Number.isInteger(seq) && seq >= 0 && seq <= MAX_COUNT) return seq;
  } catch {
    // fall through: any undecodable cursor is the client's error
  }
  throw new BadRequestException('cursor is invalid: pass next_cursor from a previous page of the same search');
}
