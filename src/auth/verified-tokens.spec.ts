import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const admin = { sub: 'a', role: 'admin' as const };
  let now = 1_000_000;
  const tokens = () => new VerifiedTokens(() => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('keeps a token until its exp, when that comes first', () => {
    const cache = tokens();
    cache.remember('t', admin, now / 1000 + 5);
    expect(cache.get('t')).toEqual(admin);
    now += 4_999;
    expect(cache.get('t')).toEqual(admin);
    now += 1;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps a long-lived token for at most a minute', () => {
    const cache = tokens();
    cache.remember('t', admin, now / 1000 + 3600);
    now += 59_999;
    expect(cache.get('t')).toEqual(admin);
    now += 1;
    expect(cache.get('t')).toBeUndefined();
  });

  it('never keeps an expired token, and holds at most 1000, dropping the oldest', () => {
    const cache = tokens();
    cache.remember('old', admin, now / 1000 - 1);
    expect(cache.get('old')).toBeUndefined();
    for (let i = 0; i < 1001; i++) cache.remember(`t${i}`, admin, now / 1000 + 30);
    expect(cache.size).toBe(1000);
    expect(cache.get('t0')).toBeUndefined();
    expect(cache.get('t1000')).toEqual(admin);
  });
});
