/**
 * Where a match is in a line's text, as the API gives it: [start, end) in UTF-16 code units (what a
 * browser's String indexes), computed on the text without ANSI codes.
 */

export type MatchRange = [number, number];

/** The most ranges given for one line: a line of "aaaa..." searched for "a" would otherwise list every character. */
export const MAX_RANGES_PER_LINE = 50;

const REGEX_SPECIALS = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Every non-overlapping occurrence of q in text, ignoring case, left to right. Unicode case folding
 * (flag u) stands for ILIKE's lower(): the two agree on every cased letter but a few special cases
 * (such as the dotted capital I), where a line ILIKE found may get no range rather than a wrong one.
 */
export function substringRanges(text: string, q: string, max = MAX_RANGES_PER_LINE): MatchRange[] {
  if (q === '') return [];
  const pattern = new RegExp(q.replace(REGEX_SPECIALS, '\\$&'), 'giu');
  const ranges: MatchRange[] = [];
  for (const m of text.matchAll(pattern)) {
    ranges.push([m.index, m.index + m[0].length]);
    if (ranges.length >= max) break;
  }
  return ranges;
}

/**
 * PostgreSQL's match positions (regexp_instr: 1-based, in characters, i.e. code points; a flat
 * [start1, end1, start2, end2, ...] with ends exclusive) as UTF-16 ranges. Empty matches mark nothing
 * and are left out.
 */
export function codePointRanges(text: string, positions: readonly number[]): MatchRange[] {
  if (positions.length === 0) return [];
  // utf16[i] is the UTF-16 offset of code point i (0-based); one pass over the text.
  const utf16: number[] = [];
  let offset = 0;
  for (const ch of text) {
    utf16.push(offset);
    offset += ch.length;
  }
  utf16.push(offset);
  const at = (position: number) => utf16[Math.min(Math.max(position - 1, 0), utf16.length - 1)];
  const ranges: MatchRange[] = [];
  for (let i = 0; i + 1 < positions.length; i += 2) {
    const start = at(positions[i]);
    const end = at(positions[i + 1]);
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}
