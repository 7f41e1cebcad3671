/**
 * What differs on every run of a batch, taken out of a message so that two runs can be compared line
 * by line: "loaded 1204 rows in 812ms (batch 3f2a9c1d7b, 2026-01-11T14:07:11Z)" and "loaded 1187 rows
 * in 790ms (batch 8e41bb02c9, 2026-01-12T14:06:58Z)" are the same line. The rules apply in this order
 * (each sees the text the previous ones left), and docs/api.md ("Compare two runs") lists them as here:
 *
 * 1. ansi: every ANSI escape sequence is removed (domain/ansi.ts, the one definition).
 * 2. uuid: 8-4-4-4-12 hex digits (either case) → <uuid>.
 * 3. timestamp: ISO-8601 / RFC-3339 dates and date-times (2026-01-11, 2026-01-11T14:07:11.123Z,
 *    2026-01-11 14:07:11+02:00, basic 20260111T140711Z), RFC 2822 / HTTP dates (Sun, 11 Jan 2026
 *    14:07:11 GMT), month-name dates (Jan 11 2026, 11 Jan 2026, syslog's Jan 11 14:07:11; a month
 *    and day alone is not a date), slash dates
 *    (2026/01/11, 11/01/2026) and times of day (14:07, 14:07:11, 14:07:11.123, 9:30 am), each with an
 *    optional zone (Z, ±hh:mm, UTC, GMT) → <time>.
 * 4. hex_id: a run of 8 or more hex digits (either case) with at least one digit and at least one
 *    letter a-f, not inside a longer word → <hex>. A word of letters only (deadbeef, facade) is a
 *    word; digits only are a number (rule 5).
 * 5. number: digits, with a decimal part if any (12, 3.25) → <n>; what follows stays (12ms → <n>ms,
 *    v1.2.3 → v<n>.<n>).
 * 6. whitespace: runs of whitespace become one space; leading and trailing whitespace is removed.
 */
import { stripAnsi } from '../domain/ansi';

/** The rules' names in the order they apply: the compare answer's `normalisation`. */
export const NORMALISATION_RULES = ['ansi', 'uuid', 'timestamp', 'hex_id', 'number', 'whitespace'] as const;

/** Not part of a longer word on the left / right (\b would count `_` as a word character and stop there). */
const L = '(?<![0-9A-Za-z])';
const R = '(?![0-9A-Za-z])';

const UUID = new RegExp(`${L}[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}${R}`, 'g');

/** English month and weekday names, short or full, capitalised (a word like "Marching" is not a month). */
const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const WEEKDAY = '(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:rs(?:day)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?),?';
const ZONE = '(?:Z|[+-]\\d{2}(?::?\\d{2})?|\\s?(?:UTC|GMT))';
const TIME_OF_DAY = `\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:\\s?[AaPp][Mm])?(?:${ZONE})?`;
const TIMESTAMP = new RegExp(
  L +
    '(?:' +
    [
      // ISO 8601 / RFC 3339: a date, optionally with a time (T or a space) and a zone
      `\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:${ZONE})?)?`,
      // ISO 8601 basic form
      `\\d{8}T\\d{4,6}(?:[.,]\\d+)?(?:${ZONE})?`,
      // RFC 2822 / HTTP date: Sun, 11 Jan 2026 14:07:11 GMT
      `(?:${WEEKDAY}\\s+)?\\d{1,2}\\s+${MONTH}\\s+\\d{4}(?:\\s+${TIME_OF_DAY})?`,
      // Jan 11 2026, Jan 11, 2026, Jan 11 14:07:11 (syslog), Sun Jan 11 14:07:11 2026 (ctime): a year or a time, not "Mar 3" alone
      `(?:${WEEKDAY}\\s+)?${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4}(?:\\s+${TIME_OF_DAY})?|\\s+${TIME_OF_DAY}(?:\\s+\\d{4})?)`,
      // 2026/01/11, 11/01/2026, 1/11/26, optionally with a time
      `(?:\\d{4}/\\d{1,2}/\\d{1,2}|\\d{1,2}/\\d{1,2}/\\d{2,4})(?:[ T]${TIME_OF_DAY})?`,
      // a time of day alone
      TIME_OF_DAY,
    ].join('|') +
    ')' +
    R,
  'g',
);

const HEX_ID = new RegExp(`${L}(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}${R}`, 'g');
const NUMBER = /\d+(?:\.\d+)?/g;
const WHITESPACE = /\s+/g;

export function normaliseMessage(text: string): string {
  return stripAnsi(text)
    .replace(UUID, '<uuid>')
    .replace(TIMESTAMP, '<time>')
    .replace(HEX_ID, '<hex>')
    .replace(NUMBER, '<n>')
    .replace(WHITESPACE, ' ')
    .trim();
}
