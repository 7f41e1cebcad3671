/**
 * Stops a postmaster that is not our child (an orphan whose runlog died): it cannot be waited for,
 * only signalled and watched. Fast shutdown first (SIGINT: sessions ended, a checkpoint, the lock
 * file removed); if that does not finish in time, immediate shutdown (SIGQUIT: no checkpoint, the
 * next start runs crash recovery, which loses nothing committed). Never SIGKILL: a postmaster
 * killed that way can leave backends holding its shared memory, and the next start then refuses.
 */
import { isProcessAlive } from './process-stat';

export const ORPHAN_FAST_SHUTDOWN_MS = 10_000;
export const ORPHAN_IMMEDIATE_SHUTDOWN_MS = 10_000;
const POLL_MS = 50;

export type OrphanStopOutcome = 'fast' | 'immediate';

export async function stopOrphanPostmaster(
  pid: number,
  startTime: string | undefined,
  bounds = { fastMs: ORPHAN_FAST_SHUTDOWN_MS, immediateMs: ORPHAN_IMMEDIATE_SHUTDOWN_MS },
): Promise<OrphanStopOutcome> {
  if (await signalAndWait(pid, startTime, 'SIGINT', bounds.fastMs)) return 'fast';
  if (await signalAndWait(pid, startTime, 'SIGQUIT', bounds.immediateMs)) return 'immediate';
  throw new Error(
    `the orphaned postgres (pid ${pid}) did not stop within ${bounds.fastMs} ms of SIGINT and ${bounds.immediateMs} ms of SIGQUIT; stop it by hand`,
  );
}

/** True once the process is gone (or a zombie, which holds nothing). */
async function signalAndWait(pid: number, startTime: string | undefined, signal: NodeJS.Signals, boundMs: number): Promise<boolean> {
  if (!(await isProcessAlive(pid, startTime))) return true;
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  for (const until = Date.now() + boundMs; Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (!(await isProcessAlive(pid, startTime))) return true;
  }
  return !(await isProcessAlive(pid, startTime));
}
