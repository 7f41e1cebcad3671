import { hasAnsi, keepSgrOnly, stripAnsi } from './ansi';

describe('ANSI sequences', () => {
  const red = '\u001b[31m';
  const bold = '\u001b[1;33m';
  const reset = '\u001b[0m';

  it('strips SGR, other CSI, OSC and two-byte escapes, and leaves plain text alone', () => {
    expect(stripAnsi(`${red}failed${reset}: ${bold}3 rows${reset}`)).toBe('failed: 3 rows');
    expect(stripAnsi('\u001b[2Jcleared\u001b[10;5H')).toBe('cleared');
    expect(stripAnsi('\u001b]0;title\u0007text \u001b]8;;http://x\u001b\\link')).toBe('text link');
    expect(stripAnsi('\u001bcreset \u009b31mc1 \u001b(Bg0 \u001b7saved')).toBe('reset c1 g0 saved');
    const plain = 'no escapes [31m here';
    expect(stripAnsi(plain)).toBe(plain);
    expect(hasAnsi(plain)).toBe(false);
  });

  it('keeps only SGR sequences', () => {
    expect(keepSgrOnly(`\u001b[2J${red}red${reset}\u001b]0;t\u0007`)).toBe(`${red}red${reset}`);
    expect(keepSgrOnly('\u001b[38:5:196mx\u001b[m')).toBe('\u001b[38:5:196mx\u001b[m');
  });
});
