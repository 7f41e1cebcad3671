/** Which leases a commit renews: a run renewed by this instance less than a quarter lease ago is left as it is. */
import type { AppConfig } from '../../config/app.config';
import { RunLeases } from './run-leases';

describe('RunLeases.dueForRenewal', () => {
  const leases = () => new RunLeases(null as never, { runLeaseSeconds: 60 } as AppConfig); // the pool is not used by these

  it('renews a run not renewed yet, then again only once a quarter of the lease has passed', () => {
    const l = leases();
    expect(l.dueForRenewal(['a', 'b'], 1_000)).toEqual(['a', 'b']);
    l.committed(['a', 'b'], [], 1_000);
    expect(l.dueForRenewal(['a', 'b'], 1_000 + 14_999)).toEqual([]);
    expect(l.dueForRenewal(['a', 'b'], 1_000 + 15_000)).toEqual(['a', 'b']);
  });

  it('forgets a released run, and a clock that went back renews', () => {
    const l = leases();
    l.committed(['a', 'b'], [], 10_000);
    l.committed([], ['a'], 11_000);
    expect(l.dueForRenewal(['a', 'b'], 12_000)).toEqual(['a']);
    expect(l.dueForRenewal(['b'], 5_000)).toEqual(['b']);
  });
});
