import { NORMALISATION_RULES, normaliseMessage } from './normalise-message';

describe('normaliseMessage', () => {
  const cases: Array<[string, string, string]> = [
    // rule, message, normalised
    ['ansi', '\u001b[31mfailed\u001b[0m \u001b]0;title\u0007x', 'failed x'],
    ['uuid', 'portfolio 3F1C9A52-8d1e-4c1a-9a57-0c6c2b1e7d42 loaded', 'portfolio <uuid> loaded'],
    ['uuid inside an id', 'run_3f1c9a52-8d1e-4c1a-9a57-0c6c2b1e7d42', 'run_<uuid>'],
    ['iso date-time, Z', 'at 2026-01-11T14:07:11.123Z done', 'at <time> done'],
    ['rfc 3339 offset, space', '2026-01-11 14:07:11+02:00 start', '<time> start'],
    ['log4j comma millis', '2026-01-11 14:07:11,123 INFO', '<time> INFO'],
    ['a named zone', 'at 2026-01-11 14:07:11 UTC and 14:07 GMT', 'at <time> and <time>'],
    ['a date alone', 'partition 2026-01-11', 'partition <time>'],
    ['iso basic', 'file export-20260111T140711Z.csv', 'file export-<time>.csv'],
    ['http date', 'Last-Modified: Sun, 11 Jan 2026 14:07:11 GMT', 'Last-Modified: <time>'],
    ['syslog', 'Jan 11 14:07:11 host cron', '<time> host cron'],
    ['month name, year', 'as of January 11, 2026 ok', 'as of <time> ok'],
    ['slash date', '11/01/2026 and 2026/01/11', '<time> and <time>'],
    ['time of day', 'took until 14:07:11.5 (started 9:30 am)', 'took until <time> (started <time>)'],
    ['hex id', 'commit 3f2a9c1d7b42 pushed, trace 4bf92f3577b34da6a3ce929d0e0e4736', 'commit <hex> pushed, trace <hex>'],
    ['hex id, upper case', 'object 0A1B2C3D4E', 'object <hex>'],
    ['not hex: letters only', 'deadbeefcafe facade00x', 'deadbeefcafe facade<n>x'],
    ['not hex: digits only are a number', 'rows 12345678901', 'rows <n>'],
    ['not hex: shorter than 8', 'id a3f2b1c', 'id a<n>f<n>b<n>c'],
    ['not hex: inside a word', 'xx3f2a9c1d7b', 'xx<n>f<n>a<n>c<n>d<n>b'],
    ['numbers', 'loaded 1204 rows in 812ms, 3.25 s/row', 'loaded <n> rows in <n>ms, <n> s/row'],
    ['version and ip', 'v1.2.3 at 10.0.0.1:5432', 'v<n>.<n> at <n>.<n>:<n>'],
    ['whitespace', '  a \t\n b   c ', 'a b c'],
    ['words stay', 'Marching orders: May we?', 'Marching orders: May we?'],
    ['a month and day alone is not a date', 'Mar 3 files', 'Mar <n> files'],
  ];

  it.each(cases)('%s', (_rule, message, normalised) => {
    expect(normaliseMessage(message)).toBe(normalised);
  });

  it('makes lines that differ only in what differs on every run equal', () => {
    const a = normaliseMessage('\u001b[32mloaded\u001b[0m 1204 rows in 812ms (batch 3f2a9c1d7b, 2026-01-11T14:07:11Z, portfolio 3f1c9a52-8d1e-4c1a-9a57-0c6c2b1e7d42)');
    const b = normaliseMessage('loaded 1187 rows in  790ms (batch 8e41bb02c9, 2026-01-12T14:06:58.004Z, portfolio 0b7e2a1c-1111-4c1a-9a57-aaaaaaaaaaaa)');
    expect(a).toBe(b);
    expect(a).toBe('loaded <n> rows in <n>ms (batch <hex>, <time>, portfolio <uuid>)');
  });

  it('applies the rules in order: a uuid is not read as hex ids and numbers, a timestamp not as numbers', () => {
    expect(normaliseMessage('0c6c2b1e-7d42-4c1a-9a57-0c6c2b1e7d42')).toBe('<uuid>');
    expect(normaliseMessage('2026-01-11T14:07:11Z')).toBe('<time>');
    expect(NORMALISATION_RULES).toEqual(['ansi', 'uuid', 'timestamp', 'hex_id', 'number', 'whitespace']);
  });
});
