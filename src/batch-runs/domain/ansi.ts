/**
 * ANSI escape sequences in log messages, defined once. Producers colour their lines with SGR
 * sequences (ESC [ ... m: colours, bold); runlog stores messages as sent, and each reader decides:
 * the TXT download strips them or keeps only SGR, search matches the text without them, the console
 * renders SGR colour and bold and nothing else (its own parser: src/admin-console/public/ansi.js).
 *
 * What counts as a sequence follows ECMA-48: CSI (ESC [ or the C1 byte U+009B, parameter bytes
 * 0x30-0x3F, intermediate bytes 0x20-0x2F, one final byte 0x40-0x7E), OSC (ESC ] ... BEL or ESC \),
 * and the other escapes: ESC, intermediate bytes 0x20-0x2F, one final byte 0x30-0x7E other than [ and ]
 * (ESC c, ESC ( B, ESC 7 ...).
 */

/** Every escape sequence (global: for replace). */
export const ANSI_SEQUENCES = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[\u0020-\u002f]*[\u0030-\u005a\u005c\u005e-\u007e]/g;

/** An SGR sequence, the only kind a reader may keep: ESC [ digits, ';' or ':' ... m. */
export const SGR_SEQUENCE = /^\u001b\[[0-9;:]*m$/;

/** The characters every sequence starts with: a message without them is returned as it is. */
const INTRODUCERS = /[\u001b\u009b]/;

export function hasAnsi(text: string): boolean {
  return INTRODUCERS.test(text);
}

/** The text without any escape sequence (what search matches and the stripped TXT shows). */
export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(ANSI_SEQUENCES, '') : text;
}

/** The text with its SGR sequences only: every other sequence removed. */
export function keepSgrOnly(text: string): string {
  return hasAnsi(text) ? text.replace(ANSI_SEQUENCES, (s) => (SGR_SEQUENCE.test(s) ? s : '')) : text;
}
