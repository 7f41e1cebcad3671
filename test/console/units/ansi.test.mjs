// The console's ANSI SGR parser (src/admin-console/public/ansi.js) under node: colours, bold and the
// other attributes become segment styles; every other escape sequence is removed without effect; the
// text stays text (an HTML injection attempt is just characters); the joined text is the server's
// stripAnsi (src/batch-runs/domain/ansi.ts, the one definition on the server).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applySgr, colourOf, findRanges, markSegments, paletteRgb, parseAnsi, plainStyle, stripAnsi } from '../../../src/admin-console/public/ansi.js';

const ESC = '\u001b';
const style = (extra = {}) => ({ ...plainStyle(), ...extra });
const texts = (segments) => segments.map((s) => s.text);

describe('SGR attributes', () => {
  it('plain text is one unstyled segment; empty text none', () => {
    assert.deepEqual(parseAnsi('hello'), [{ text: 'hello', style: style() }]);
    assert.deepEqual(parseAnsi(''), []);
  });

  it('colours and bold, reset by 0 and by an empty SGR', () => {
    const segments = parseAnsi(`${ESC}[1;31mERROR${ESC}[0m done ${ESC}[32mok${ESC}[m.`);
    assert.deepEqual(segments, [
      { text: 'ERROR', style: style({ fg: 1, bold: true }) },
      { text: ' done ', style: style() },
      { text: 'ok', style: style({ fg: 2 }) },
      { text: '.', style: style() },
    ]);
  });

  it('bold, dim, italic, underline on and off (22 ends both bold and dim)', () => {
    let s = applySgr(plainStyle(), '1;2;3;4');
    assert.deepEqual(s, style({ bold: true, dim: true, italic: true, underline: true }));
    s = applySgr(s, '22');
    assert.deepEqual(s, style({ italic: true, underline: true }));
    s = applySgr(s, '23;24');
    assert.deepEqual(s, style());
  });

  it('foreground 30-37 and 90-97, background 40-47 and 100-107, 39 and 49 back to the default', () => {
    assert.equal(applySgr(plainStyle(), '37').fg, 7);
    assert.equal(applySgr(plainStyle(), '90').fg, 8);
    assert.equal(applySgr(plainStyle(), '97').fg, 15);
    assert.equal(applySgr(plainStyle(), '40').bg, 0);
    assert.equal(applySgr(plainStyle(), '107').bg, 15);
    assert.deepEqual(applySgr(applySgr(plainStyle(), '31;44'), '39'), style({ bg: 4 }));
    assert.deepEqual(applySgr(applySgr(plainStyle(), '31;44'), '49'), style({ fg: 1 }));
  });

  it('256 colours and true colour, in the ; and the : forms', () => {
    assert.equal(applySgr(plainStyle(), '38;5;196').fg, 196);
    assert.equal(applySgr(plainStyle(), '48;5;21').bg, 21);
    assert.deepEqual(applySgr(plainStyle(), '38;2;10;20;30').fg, { r: 10, g: 20, b: 30 });
    assert.deepEqual(applySgr(plainStyle(), '48;2;255;0;128').bg, { r: 255, g: 0, b: 128 });
    assert.equal(applySgr(plainStyle(), '38:5:208').fg, 208);
    assert.deepEqual(applySgr(plainStyle(), '38:2::1:2:3').fg, { r: 1, g: 2, b: 3 });
    assert.deepEqual(applySgr(plainStyle(), '38:2:4:5:6').fg, { r: 4, g: 5, b: 6 });
    // the codes after an extended colour still apply
    assert.deepEqual(applySgr(plainStyle(), '38;5;196;1'), style({ fg: 196, bold: true }));
  });

  it('ignores out-of-range colours and unknown codes', () => {
    assert.deepEqual(applySgr(plainStyle(), '38;5;300'), style());
    assert.deepEqual(applySgr(plainStyle(), '38;2;256;0;0'), style());
    assert.deepEqual(applySgr(plainStyle(), '5;7;8;9;53;58;5;1'), style());
    assert.deepEqual(applySgr(style({ fg: 3 }), '38;5'), style({ fg: 3 }));
  });
});

describe('every other escape sequence is removed without effect', () => {
  it('cursor moves, erase, OSC titles and hyperlinks, charset and reset escapes, C1 CSI', () => {
    const message = `${ESC}[2J${ESC}[10;5Ha${ESC}]0;title${ESC}\\b${ESC}]8;;http://x${'\u0007'}c${ESC}(Bd${ESC}ce${ESC}7f\u009b1Ag${ESC}[?25lh`;
    const segments = parseAnsi(message);
    assert.deepEqual(segments, [{ text: 'abcdefgh', style: style() }]);
  });

  it('a non-SGR CSI ending in m with other bytes (ESC [ > 4 m, ESC [ 1 $ m) is not SGR', () => {
    assert.deepEqual(parseAnsi(`${ESC}[>4;1mx${ESC}[1$my`), [{ text: 'xy', style: style() }]);
  });

  it('the joined text is stripAnsi, which matches the server\'s definition', () => {
    let server;
    try {
      // The server's module is TypeScript (compiled by ts-jest only): read its regular expression from the source.
      const source = readFileSync(new URL('../../../src/batch-runs/domain/ansi.ts', import.meta.url), 'utf8');
      const literal = /export const ANSI_SEQUENCES = \/(.*)\/g;/.exec(source)[1];
      server = new RegExp(literal, 'g');
    } catch (error) {
      assert.fail(`cannot read the server's ANSI_SEQUENCES: ${error.message}`);
    }
    const samples = [
      `${ESC}[1;31mERROR${ESC}[0m x`, `${ESC}]0;t${ESC}\\y`, `${ESC}(B${ESC}[?1049hz`, `cut ${ESC}[31`, `lone ${ESC}`, `\u009b2Kq`, 'plain',
    ];
    for (const sample of samples) {
      assert.equal(stripAnsi(sample), sample.replace(server, ''), JSON.stringify(sample));
      assert.equal(texts(parseAnsi(sample)).join(''), stripAnsi(sample), JSON.stringify(sample));
    }
  });
});

describe('no injection', () => {
  it('markup in a coloured message is only text; colours are our classes or rgb() of integers', () => {
    const segments = parseAnsi(`${ESC}[31m<img src=x onerror=alert(1)>${ESC}[0m`);
    assert.deepEqual(segments, [{ text: '<img src=x onerror=alert(1)>', style: style({ fg: 1 }) }]);
    assert.deepEqual(colourOf(1, 'fg'), { className: 'ansi-fg-1' });
    assert.deepEqual(colourOf(196, 'fg'), { rgb: 'rgb(255, 0, 0)' });
    assert.deepEqual(colourOf({ r: 1, g: 2, b: 3 }, 'bg'), { rgb: 'rgb(1, 2, 3)' });
    assert.equal(colourOf({ r: '1);background:url(x', g: 0, b: 0 }, 'fg'), null);
    assert.equal(colourOf('red', 'fg'), null);
    assert.equal(colourOf(null, 'fg'), null);
  });

  it('maps the 256-colour palette: the cube and the grey ramp', () => {
    assert.deepEqual(paletteRgb(16), { r: 0, g: 0, b: 0 });
    assert.deepEqual(paletteRgb(231), { r: 255, g: 255, b: 255 });
    assert.deepEqual(paletteRgb(208), { r: 255, g: 135, b: 0 });
    assert.deepEqual(paletteRgb(232), { r: 8, g: 8, b: 8 });
    assert.deepEqual(paletteRgb(255), { r: 238, g: 238, b: 238 });
    assert.equal(paletteRgb(15), null);
  });
});

describe('search marks across styled segments', () => {
  it('cuts segments where a match begins and ends', () => {
    const segments = parseAnsi(`load ${ESC}[31mERR${ESC}[0mOR here, error`);
    const text = texts(segments).join('');
    assert.equal(text, 'load ERROR here, error');
    const ranges = findRanges(text, 'error');
    assert.deepEqual(ranges, [[5, 10], [17, 22]]);
    const pieces = markSegments(segments, ranges);
    assert.deepEqual(pieces.map((p) => [p.text, p.mark, p.style.fg]), [
      ['load ', false, null], ['ERR', true, 1], ['OR', true, null], [' here, ', false, null], ['error', true, null],
    ]);
  });
});
