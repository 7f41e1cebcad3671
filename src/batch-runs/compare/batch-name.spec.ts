import { batchNameOf, batchNamePrefix } from './batch-name';

describe('batchNameOf / batchNamePrefix', () => {
  it('names the batch by the id normalised: runs of one batch share it', () => {
    expect(batchNameOf('nightly-import-2026-01-11')).toBe('nightly-import-<time>');
    expect(batchNameOf('nightly-import-2026-01-12')).toBe(batchNameOf('nightly-import-2026-01-11'));
    expect(batchNameOf('nightly-export-2026-01-11')).not.toBe(batchNameOf('nightly-import-2026-01-11'));
    expect(batchNameOf('etl.orders:20260111T0200Z')).toBe('etl.orders:<time>');
    expect(batchNameOf('adhoc-7')).toBe('adhoc-<n>');
  });

  it('an id of variable parts only names no batch', () => {
    expect(batchNameOf('3f1c9a52-8d1e-4c1a-9a57-0c6c2b1e7d42')).toBeNull();
    expect(batchNameOf('20260111')).toBeNull();
    expect(batchNameOf('2026-01-11_3f2a9c1d7b')).toBeNull();
  });

  it('the prefix is the id up to its first variable part', () => {
    expect(batchNamePrefix('nightly-import-2026-01-11')).toBe('nightly-import-');
    expect(batchNamePrefix('adhoc')).toBe('adhoc');
    expect(batchNamePrefix('3f1c9a52-8d1e-4c1a-9a57-0c6c2b1e7d42')).toBe('');
  });
});
