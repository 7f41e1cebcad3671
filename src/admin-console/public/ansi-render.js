// A log message on the page, its ANSI SGR colour and bold shown (ansi.js parses) and a filter's matches
// marked. Built with dom.js's h: the message's text is only ever text, its styles only class names of
// ours (style.css: .ansi-*) or rgb() colours made from the parser's integers 0-255, set through CSSOM.

import { h } from './dom.js';
import { colourOf, findRanges, isPlain, markSegments, parseAnsi } from './ansi.js';

/** The nodes of one message: text, <mark> for each match of `needle` (lower case), <span class="ansi …"> for styled text. */
export function renderMessage(message, needle = '') {
  const segments = parseAnsi(message);
  const text = segments.map((s) => s.text).join('');
  const pieces = needle ? markSegments(segments, findRanges(text, needle)) : segments;
  return pieces.map((piece) => {
    let node = piece.mark ? h('mark', { text: piece.text }) : piece.text;
    if (!isPlain(piece.style)) node = styledSpan(piece.style, node);
    return node;
  });
}

function styledSpan(style, child) {
  const classes = ['ansi'];
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  const fg = colourOf(style.fg, 'fg');
  const bg = colourOf(style.bg, 'bg');
  if (fg?.className) classes.push(fg.className);
  if (bg?.className) classes.push(bg.className);
  const span = h('span', { class: classes.join(' ') }, child);
  if (fg?.rgb) span.style.color = fg.rgb;
  if (bg?.rgb) span.style.backgroundColor = bg.rgb;
  return span;
}
