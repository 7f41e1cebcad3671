/**
 * Counts long-lived responses (downloads, event streams) per principal and in all, so one client
 * cannot hold an unbounded number of them. Pure bookkeeping: the guard that uses it answers 429/503.
 */
export type SlotRefusal = 'principal' | 'total';

export class ConcurrencyLimiter {
  private readonly perKey = new Map<string, number>();
  private inUse = 0;

  constructor(
    readonly maxPerKey: number,
    readonly maxTotal: number,
  ) {}

  /** A release function (idempotent), or why no slot is free. */
  tryAcquire(key: string): (() => void) | SlotRefusal {
    const held = this.perKey.get(key) ?? 0;
    if (held >= this.maxPerKey) return 'principal';
    if (this.inUse >= this.maxTotal) return 'total';
    this.perKey.set(key, held + 1);
    this.inUse += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= 1;
      const left = (this.perKey.get(key) ?? 1) - 1;
      if (left > 0) this.perKey.set(key, left);
      else this.perKey.delete(key);
    };
  }

  get active(): number {
    return this.inUse;
  }
}
