/**
 * A small process that stops the embedded postmaster when the runlog that started it disappears
 * without stopping it (kill -9, the OOM killer, a crash), so the orphan does not hold the data
 * directory and its port until the next start. The next start's clean-up (runlog-lock.ts) is the
 * guarantee; this only shortens the orphan's life.
 *
 * It is `node -e <source>`: plain JavaScript in a string, so it runs the same from dist/ and from
 * TypeScript under Jest, with no file to find. It is detached (its own session: a kill of runlog's
 * process group leaves it to notice), unref'd, with stdio ignored and an empty environment (no
 * NODE_OPTIONS such as --inspect), so it keeps neither runlog nor a Jest worker alive.
 *
 * Every POLL_MS it checks:
 * - the postmaster is gone (a clean stop, or killed with runlog): it exits;
 * - its own parent changed (Linux: /proc/self/stat, immune to pid reuse; elsewhere: the parent pid
 *   no longer exists): runlog died, so it sends SIGINT (fast shutdown), after FAST_MS SIGQUIT
 *   (immediate shutdown), and exits once the postmaster is gone or IMMEDIATE_MS later.
 * A clean stop also ends it directly (stopWatchdog).
 */
import { spawn, type ChildProcess } from 'child_process';

export const WATCHDOG_POLL_MS = 250;
const FAST_MS = 10_000;
const IMMEDIATE_MS = 10_000;
const EXIT_WAIT_MS = 2_000;

const SOURCE = String.raw`
'use strict';
const fs = require('fs');
const [parentPid, postmasterPid, postmasterStart, pollMs, fastMs, immediateMs, clusterDir] = process.argv.slice(1);
process.title = 'runlog-pg-watchdog ' + clusterDir;
const linux = process.platform === 'linux';
function stat(pid) {
  try {
    const text = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: f[1], start: f[19] };
  } catch (e) {
    return null;
  }
}
function exists(pid) {
  try { process.kill(Number(pid), 0); return true; } catch (e) { return e.code !== 'ESRCH'; }
}
function postmasterAlive() {
  if (!exists(postmasterPid)) return false;
  if (!linux) return true;
  const s = stat(postmasterPid);
  return s !== null && s.state !== 'Z' && s.state !== 'X' && (postmasterStart === '-' || s.start === postmasterStart);
}
function parentAlive() {
  if (!linux) return exists(parentPid);
  const s = stat('self');
  return s === null || s.ppid === parentPid;
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function stopWithin(signal, ms) {
  if (!postmasterAlive()) return true;
  try { process.kill(Number(postmasterPid), signal); } catch (e) { return true; }
  for (const until = Date.now() + Number(ms); Date.now() < until; ) {
    await sleep(50);
    if (!postmasterAlive()) return true;
  }
  return false;
}
const timer = setInterval(async () => {
  if (!postmasterAlive()) process.exit(0);
  if (parentAlive()) return;
  clearInterval(timer);
  if (!(await stopWithin('SIGINT', fastMs))) await stopWithin('SIGQUIT', immediateMs);
  process.exit(0);
}, Number(pollMs));
`;

export interface Watchdog {
  /** SIGTERM to the watchdog (a clean stop: its runlog stops the postmaster itself); synchronous, so it works in an 'exit' listener. */
  end(): void;
  /** end(), then wait for it to be gone, bounded. */
  stop(): Promise<void>;
}

export function startWatchdog(postmasterPid: number, postmasterStartTime: string | undefined, clusterDir: string): Watchdog {
  const args = [String(process.pid), String(postmasterPid), postmasterStartTime ?? '-', String(WATCHDOG_POLL_MS), String(FAST_MS), String(IMMEDIATE_MS), clusterDir];
  const child: ChildProcess = spawn(process.execPath, ['-e', SOURCE, ...args], { detached: true, stdio: 'ignore', cwd: '/', env: {} });
  child.on('error', () => undefined); // No watchdog: the start-up clean-up still covers an orphan.
  child.unref();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  return {
    end() {
      if (running()) child.kill('SIGTERM');
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      // The timer keeps the event loop alive until the exit is seen, so nothing named after the
      // data directory is left behind when stop() resolves.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)))]);
      clearTimeout(timer);
    },
  };
}
