import { firstEntryProblem } from './log-entries.rule';

describe('firstEntryProblem (the append body entries, in one pass)', () => {
  const ok = { level: 'info', message: 'hello' };

  it('accepts entries with every optional field given, null or absent', () => {
    expect(firstEntryProblem([ok, { ...ok, level: 'warning', timestamp: '2026-01-11T14:07:11.123Z', phase: 'load', seq: 2 }], 'entries')).toBeNull();
    expect(firstEntryProblem([{ ...ok, timestamp: null, phase: null, seq: null }], 'entries')).toBeNull();
  });

  it.each([
    ['a non-object', 'x', 'entries.1 must be an object'],
    ['an array', [], 'entries.1 must be an object'],
    ['an unknown field', { ...ok, colour: 'blue' }, 'property entries.1.colour should not exist'],
    ['an unknown level', { ...ok, level: 'debug' }, 'entries.1.level must be one of the following values: info, warning, error'],
    ['a missing message', { level: 'info' }, 'entries.1.message must be a string'],
    ['an empty message', { ...ok, message: '' }, 'entries.1.message must be longer than or equal to 1'],
    ['a message of 65537 characters', { ...ok, message: 'x'.repeat(65537) }, 'entries.1.message must be longer than or equal to 1 and shorter than or equal to 65536'],
    ['a timestamp that is not ISO 8601', { ...ok, timestamp: 'yesterday' }, 'entries.1.timestamp must be a valid ISO 8601 date string'],
    ['a timestamp of a number', { ...ok, timestamp: 12 }, 'entries.1.timestamp must be a valid ISO 8601 date string'],
    ['a timestamp without an offset', { ...ok, timestamp: '2026-01-11T14:07:11' }, 'entries.1.timestamp must be a date-time with an offset (Z or ±hh:mm)'],
    ['a date without a time', { ...ok, timestamp: '2026-01-11' }, 'entries.1.timestamp must be a date-time with an offset (Z or ±hh:mm)'],
    ['a timestamp past the year 9999 in UTC', { ...ok, timestamp: '9999-12-31T23:59:59-01:00' }, 'entries.1.timestamp must be a date-time between the years 0001 and 9999'],
    ['an empty phase', { ...ok, phase: '' }, 'entries.1.phase must be longer than or equal to 1'],
    ['a numeric phase', { ...ok, phase: 3 }, 'entries.1.phase must be a string'],
    ['a fractional seq', { ...ok, seq: 1.5 }, 'entries.1.seq must be an integer number'],
    ['a seq of 0', { ...ok, seq: 0 }, 'entries.1.seq must not be less than 1'],
    ['a seq given as text', { ...ok, seq: '2' }, 'entries.1.seq must be an integer number'],
  ])('names %s with its index and field', (_, bad, expected) => {
    expect(firstEntryProblem([ok, bad, { level: 'nope' }], 'entries')).toContain(expected);
  });
});
