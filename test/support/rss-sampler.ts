/**
 * Samples a process's resident set size (VmRSS in /proc/<pid>/status) every second, for the soak's
 * memory figures: RSS at the start, the peak, the end, and the plateau (the last third of the run,
 * where a bounded cache has stopped growing). Linux only; elsewhere it records nothing.
 */
import { readFileSync } from 'fs';

export interface RssSummary {
  samples: number;
  startMiB: number;
  maxMiB: number;
  finalMiB: number;
  /** The last third of the samples: their median and range. */
  plateau: { medianMiB: number; minMiB: number; maxMiB: number };
  /** One sample a second, in MiB (for a chart or a closer look). */
  seriesMiB: number[];
}

export function readRssKiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // not Linux, or the process is gone
  }
}

export class RssSampler {
  private readonly kib: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 1000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops sampling (after one last sample) and summarises; null when nothing could be read. */
  stop(): RssSummary | null {
    clearInterval(this.timer);
    this.sample();
    return summariseRss(this.kib);
  }

  private sample(): void {
    const kib = readRssKiB(this.pid);
    if (kib !== null) this.kib.push(kib);
  }
}

export function summariseRss(kib: number[]): RssSummary | null {
  if (kib.length === 0) return null;
  const mib = kib.map((k) => k / 1024);
  const tail = mib.slice(Math.floor((mib.length * 2) / 3)).sort((a, b) => a - b);
  return {
    samples: mib.length,
    startMiB: mib[0],
    maxMiB: Math.max(...mib),
    finalMiB: mib[mib.length - 1],
    plateau: { medianMiB: tail[Math.floor(tail.length / 2)], minMiB: tail[0], maxMiB: tail[tail.length - 1] },
    seriesMiB: mib.map((m) => Math.round(m)),
  };
}
