/**
 * What /proc/<pid>/stat says about a process: its state, parent and start time. The start time
 * (clock ticks since boot) tells a process apart from a later one that got the same pid.
 */
import { promises as fs } from 'fs';

export interface ProcessStat {
  /** R, S, D, ... ; Z zombie, X dead. */
  state: string;
  ppid: number;
  /** Field 22, as written (a number of clock ticks that may pass 2^53 on paper, so kept as text). */
  startTime: string;
}

/** Undefined when the process does not exist or there is no /proc (macOS). */
export async function readProcessStat(pid: number | 'self'): Promise<ProcessStat | undefined> {
  const text = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The command name (field 2) is parenthesised and may hold spaces and ')'; the fields after the
  // last ')' start with field 3, the state.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19] };
}

/**
 * Is pid a live process (not a zombie), and the same one that had startTime? Without /proc only
 * the pid can be checked. A process of another OS user (EPERM) counts as alive.
 */
export async function isProcessAlive(pid: number, startTime?: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = await readProcessStat(pid);
  if (stat === undefined) return process.platform !== 'linux';
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}
