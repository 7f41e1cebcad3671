/**
 * The server's limits, as a client must respect them (docs/api.md). A line longer than a message may
 * be is split into parts, each marked, rather than failing its whole batch; NUL, which the server
 * refuses, becomes U+FFFD.
 */
export const MAX_ENTRIES_PER_APPEND = 1000;
/** UTF-16 code units, as JavaScript counts a string's length. */
export const MAX_MESSAGE_LENGTH = 65_536;
export const MAX_PHASE_LENGTH = 200;
/** The server takes 5 MiB; a batch stays well under it whatever its JSON escaping costs. */
export const MAX_BATCH_BYTES = 2 * 1024 * 1024;
export const LEVELS = ['info', 'warning', 'error'] as const;
export type Level = (typeof LEVELS)[number];

const PART_ROOM = 32; // room for the " [part 12/345]" marker

/** The message as one or more messages the server accepts, in order. */
export function messageParts(message: string): string[] {
  const clean = message.length === 0 ? ' ' : message.replace(/\u0000/g, '\uFFFD');
  if (clean.length <= MAX_MESSAGE_LENGTH) return [clean];
  const size = MAX_MESSAGE_LENGTH - PART_ROOM;
  const pieces: string[] = [];
  for (let at = 0; at < clean.length; ) {
    let end = Math.min(at + size, clean.length);
    // Never cut a surrogate pair in two: the halves would each become U+FFFD.
    if (end < clean.length && /[\uD800-\uDBFF]/.test(clean[end - 1])) end -= 1;
    pieces.push(clean.slice(at, end));
    at = end;
  }
  return pieces.map((piece, i) => `${piece} [part ${i + 1}/${pieces.length}]`);
}

/** Approximate JSON size of an entry in bytes (UTF-8, escapes counted generously). */
export function entryBytes(entry: { message: string; phase?: string | null }): number {
  return 96 + 3 * entry.message.length + 3 * (entry.phase?.length ?? 0);
}
