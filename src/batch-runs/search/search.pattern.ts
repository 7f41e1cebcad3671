/**
 * What a query becomes in SQL: the pattern each line is matched with, and the one each chunk is
 * matched with. A chunk's body is its lines joined by '\n', so the chunk pattern must match whenever
 * one of its lines does (the index may find more chunks, never fewer; every line is rechecked).
 */
import { SearchMode } from './search.sql';

export interface SearchPatterns {
  mode: SearchMode;
  /** Matched against each line's text (ILIKE or ~*). */
  line: string;
  /** Matched against chunk bodies; null: this pattern cannot be checked on chunks, every line is scanned. */
  chunk: string | null;
}

/** A substring as an ILIKE pattern: % _ and \ (ILIKE's escape) stand for themselves. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, '\\$&')}%`;
}

/**
 * Regex constructs whose meaning changes between a line and a chunk of lines in a way the chunk
 * pattern cannot absorb: \A and \Z (only the start and end of the whole body), negative lookahead and
 * lookbehind (a line's end is followed by '\n' in a body, and '\n' may be what they exclude), and the
 * *** directors (***= makes the rest a literal, ***: restarts option parsing); and the embedded option c
 * (case-sensitive), since bodies are stored in lower case. Such a query scans.
 */
const NOT_CHUNKABLE = /(?:^|[^\\])(?:\\\\)*\\[AZ]|\(\?<?!|^\*\*\*|^\(\?[a-z]*c[a-z]*\)/;

/** Leading embedded options, (?xyz): ARE takes them only at the very start. */
const EMBEDDED_OPTIONS = /^\(\?([a-z]*)\)/;

/**
 * The chunk pattern of a regex: the same expression in ARE's "weird" newline-sensitive mode (w): ^ and
 * $ also match just after and before a '\n', so they match at every line's start and end in a body,
 * while . and bracket expressions still match '\n' as they do inside a multi-line message. The option
 * goes last among any the query gives itself (later options win).
 */
export function regexChunkPattern(q: string): string | null {
  if (NOT_CHUNKABLE.test(q)) return null;
  const options = EMBEDDED_OPTIONS.exec(q);
  return options ? `(?${options[1]}w)${q.slice(options[0].length)}` : `(?w)${q}`;
}

export function searchPatterns(q: string, regex: boolean): SearchPatterns {
  if (!regex) {
    const like = likePattern(q);
    return { mode: 'substring', line: like, chunk: like };
  }
  return { mode: 'regex', line: q, chunk: regexChunkPattern(q) };
}
