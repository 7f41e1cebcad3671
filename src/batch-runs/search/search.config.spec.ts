import { loadConfig } from '../../config/app.config';

describe('search settings', () => {
  it('defaults: an indexer tick a second of at most 5,000 entries, searches bounded at 5 s', () => {
    expect(loadConfig({})).toMatchObject({ searchIndexIntervalMs: 1000, searchIndexBatchEntries: 5000, searchStatementTimeoutMs: 5000 });
  });
  it('SEARCH_INDEX_INTERVAL_MS=0 switches the indexer off', () => {
    expect(loadConfig({ SEARCH_INDEX_INTERVAL_MS: '0' }).searchIndexIntervalMs).toBe(0);
  });
  it('a value out of range stops the start, naming the variable', () => {
    expect(() => loadConfig({ SEARCH_INDEX_BATCH_ENTRIES: '99' })).toThrow(/SEARCH_INDEX_BATCH_ENTRIES must be a number from 100/);
    expect(() => loadConfig({ SEARCH_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/SEARCH_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ SEARCH_INDEX_INTERVAL_MS: '1.5' })).toThrow(/SEARCH_INDEX_INTERVAL_MS must be a whole number/);
    expect(() => loadConfig({ SEARCH_INDEX_INTERVAL_MS: '-1' })).toThrow(/SEARCH_INDEX_INTERVAL_MS/);
  });
});
