// ANSI escape sequences in log messages, for the console: a pure parser (no DOM, node imports it) from a
// message to styled text segments, and the text without any sequence. Only SGR (ESC [ ... m) has an
// effect, and only the attributes below; every other sequence is removed without effect. Nothing from
// the message ever becomes markup, a class name or a colour string: a colour is a palette index 0-255 or
// three integers 0-255 computed here, and ansi-render.js turns those into classes or rgb() numbers.
//
// What counts as a sequence mirrors the server's one definition, src/batch-runs/domain/ansi.ts (ECMA-48):
// CSI (ESC [ or the C1 byte U+009B, parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, one final
// byte 0x40-0x7E), OSC (ESC ] ... BEL or ESC \), and the other escapes: ESC, intermediate bytes
// 0x20-0x2F, one final byte 0x30-0x7E other than [ and ]. SGR is the server's SGR_SEQUENCE: ESC [,
// digits, ';' or ':', m. Change both together. The joined segments' text is exactly the server's
// stripAnsi(message), so offsets the search API gives into that text apply to it.
//
// Handled SGR: 0 reset, 1 bold, 2 dim, 3 italic, 4 underline, 22 neither bold nor dim, 23 not italic,
// 24 not underlined, 30-37 / 90-97 foreground, 39 default foreground, 40-47 / 100-107 background,
// 49 default background, 38;5;n / 48;5;n (256 colours), 38;2;r;g;b / 48;2;r;g;b (true colour), also
// in the colon form (38:5:n, 38:2::r:g:b). Any other code is ignored (58, the underline colour, with
// its arguments).

const ANSI_SEQUENCES = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[\u0020-\u002f]*[\u0030-\u005a\u005c\u005e-\u007e]/g;
const SGR_SEQUENCE = /^\u001b\[([0-9;:]*)m$/;
/** The characters every sequence starts with: a message without them is returned as it is. */
const HAS_INTRODUCER = /[\u001b\u009b]/;

/** A style with nothing set: what a message starts with and SGR 0 returns to. */
export function plainStyle() {
  return { fg: null, bg: null, bold: false, italic: false, underline: false, dim: false };
}

export function isPlain(style) {
  return style.fg === null && style.bg === null && !style.bold && !style.italic && !style.underline && !style.dim;
}

/** The message's text without any escape sequence (what search matches and the filters compare). */
export function stripAnsi(text) {
  return HAS_INTRODUCER.test(text) ? text.replace(ANSI_SEQUENCES, '') : text;
}

/**
 * The message as segments [{ text, style: { fg, bg, bold, italic, underline, dim } }], in order, none
 * empty, neighbours of the same style merged. fg/bg: null (default), a palette index 0-255, or
 * { r, g, b } with integers 0-255.
 */
export function parseAnsi(text) {
  const message = String(text ?? '');
  if (!HAS_INTRODUCER.test(message)) return message ? [{ text: message, style: plainStyle() }] : [];
  const segments = [];
  let style = plainStyle();
  let from = 0;
  const push = (chunk) => {
    if (!chunk) return;
    const last = segments[segments.length - 1];
    if (last && sameStyle(last.style, style)) last.text += chunk;
    else segments.push({ text: chunk, style: { ...style } });
  };
  for (const match of message.matchAll(ANSI_SEQUENCES)) {
    push(message.slice(from, match.index));
    from = match.index + match[0].length;
    const sgr = SGR_SEQUENCE.exec(match[0]);
    if (sgr) style = applySgr(style, sgr[1]);
  }
  push(message.slice(from));
  return segments;
}

/** The style after one SGR sequence's parameters ('' is 0: reset). */
export function applySgr(current, params) {
  const style = { ...current };
  // Each ';'-separated field; a field with ':' is one code with its sub-parameters (38:2::r:g:b).
  const fields = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i];
    if (field.includes(':')) {
      const [code, ...sub] = field.split(':');
      if (code === '38' || code === '48') setExtended(style, code === '38' ? 'fg' : 'bg', sub[0], colonColourArgs(sub));
      continue;
    }
    const code = field === '' ? 0 : Number(field);
    if (code === 38 || code === 48 || code === 58) {
      // 58 (underline colour) is not shown, but its arguments are its own, not codes.
      const mode = fields[i + 1];
      const count = mode === '5' ? 1 : mode === '2' ? 3 : 0;
      if (code !== 58) setExtended(style, code === 38 ? 'fg' : 'bg', mode, fields.slice(i + 2, i + 2 + count));
      i += 1 + count;
      continue;
    }
    applyCode(style, code);
  }
  return style;
}

function applyCode(style, code) {
  if (code === 0) Object.assign(style, plainStyle());
  else if (code === 1) style.bold = true;
  else if (code === 2) style.dim = true;
  else if (code === 3) style.italic = true;
  else if (code === 4) style.underline = true;
  else if (code === 22) style.bold = style.dim = false;
  else if (code === 23) style.italic = false;
  else if (code === 24) style.underline = false;
  else if (code >= 30 && code <= 37) style.fg = code - 30;
  else if (code === 39) style.fg = null;
  else if (code >= 40 && code <= 47) style.bg = code - 40;
  else if (code === 49) style.bg = null;
  else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
  else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
}

/** 38:2:r:g:b, or 38:2:<colour space id>:r:g:b (ITU T.416, the id empty or not): the last three. */
function colonColourArgs(sub) {
  if (sub[0] === '2') return sub.length >= 5 ? sub.slice(-3) : sub.slice(1, 4);
  return sub.slice(1, 2);
}

/** 5;n: palette index n; 2;r;g;b: true colour. Anything out of range leaves the colour as it was. */
function setExtended(style, key, mode, args) {
  const ints = args.map((a) => (/^\d{1,3}$/.test(a) ? Number(a) : NaN));
  if (!ints.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) return;
  if (mode === '5' && ints.length === 1) style[key] = ints[0];
  else if (mode === '2' && ints.length === 3) style[key] = { r: ints[0], g: ints[1], b: ints[2] };
}

function sameColour(a, b) {
  if (a === null || typeof a === 'number' || b === null || typeof b === 'number') return a === b;
  return a.r === b.r && a.g === b.g && a.b === b.b;
}

function sameStyle(a, b) {
  return sameColour(a.fg, b.fg) && sameColour(a.bg, b.bg) && a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.dim === b.dim;
}

// ---- colours ------------------------------------------------------------------------------------------

/**
 * A palette index 16-255 as { r, g, b } (xterm's 6x6x6 cube and grey ramp). 0-15 are the console's own
 * theme colours (classes ansi-fg-N / ansi-bg-N in style.css), so they return null here.
 */
export function paletteRgb(index) {
  if (!Number.isInteger(index) || index < 16 || index > 255) return null;
  if (index >= 232) {
    const v = 8 + (index - 232) * 10;
    return { r: v, g: v, b: v };
  }
  const n = index - 16;
  const level = (c) => (c === 0 ? 0 : 55 + c * 40);
  return { r: level(Math.floor(n / 36)), g: level(Math.floor(n / 6) % 6), b: level(n % 6) };
}

/**
 * How a segment's colour is shown: { className } for the 16 theme colours, { rgb: 'rgb(r, g, b)' } built
 * only from integers 0-255, or null (the default colour).
 */
export function colourOf(colour, kind) {
  if (colour === null || colour === undefined) return null;
  if (typeof colour === 'number') {
    if (Number.isInteger(colour) && colour >= 0 && colour < 16) return { className: `ansi-${kind}-${colour}` };
    const rgb = paletteRgb(colour);
    return rgb ? { rgb: rgbText(rgb) } : null;
  }
  return rgbText(colour) ? { rgb: rgbText(colour) } : null;
}

function rgbText({ r, g, b }) {
  const ok = [r, g, b].every((n) => Number.isInteger(n) && n >= 0 && n <= 255);
  return ok ? `rgb(${r}, ${g}, ${b})` : null;
}

// ---- search marks over segments --------------------------------------------------------------------------

/** [start, end) offsets of each case-insensitive occurrence of `needle` (lower case) in `text`, at most `max`. */
export function findRanges(text, needle, max = 200) {
  const ranges = [];
  if (!needle) return ranges;
  const lower = text.toLowerCase();
  for (let i = lower.indexOf(needle); i >= 0 && ranges.length < max; i = lower.indexOf(needle, i + needle.length)) ranges.push([i, i + needle.length]);
  return ranges;
}

/**
 * The segments cut where ranges (offsets into the segments' joined text, sorted, not overlapping)
 * begin and end, each piece with mark: true inside a range.
 */
export function markSegments(segments, ranges) {
  const out = [];
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    let at = offset;
    while (at < end) {
      while (r < ranges.length && ranges[r][1] <= at) r += 1;
      const range = ranges[r];
      const inside = range !== undefined && range[0] <= at;
      const stop = range === undefined ? end : Math.min(end, inside ? range[1] : range[0]);
      out.push({ text: segment.text.slice(at - offset, stop - offset), style: segment.style, mark: inside });
      at = stop;
    }
    offset = end;
  }
  return out;
}
