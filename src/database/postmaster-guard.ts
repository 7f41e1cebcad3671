/**
 * What runlog keeps beside each postmaster it spawns, from the moment it exists (not only once it
 * is ready: crash recovery can take a while, and a runlog killed meanwhile leaves an orphan too):
 * its record in <dataDir>/runlog.pid, so the next start can recognise it as an orphan, and its
 * watchdog, so it does not outlive this process for long.
 */
import { startWatchdog, type Watchdog } from './postgres-watchdog';
import { removeRunlogLockSync, writeRunlogLock, type RunlogLock } from './runlog-lock';

export interface PostmasterGuardOptions {
  dataDir: string;
  clusterDir: string;
  watchdog: boolean;
  notice: (line: string) => void;
}

export class PostmasterGuard {
  private constructor(
    private readonly dataDir: string,
    private readonly lock: RunlogLock | undefined,
    private readonly watchdog: Watchdog | undefined,
  ) {}

  static async start(postmasterPid: number, options: PostmasterGuardOptions): Promise<PostmasterGuard> {
    let lock: RunlogLock | undefined;
    try {
      lock = await writeRunlogLock(options.dataDir, postmasterPid);
    } catch (error) {
      // Not worth failing the start for: without the record an orphan is refused at the next start, as before.
      options.notice(`could not write ${options.dataDir}/runlog.pid (${(error as Error).message}); should this process die, the next start will not stop its postgres`);
    }
    const watchdog = options.watchdog ? startWatchdog(postmasterPid, lock?.postmasterStartTime, options.clusterDir) : undefined;
    return new PostmasterGuard(options.dataDir, lock, watchdog);
  }

  /** The postmaster is gone: drop its record and end the watchdog. Synchronous, so it also works in an 'exit' listener. */
  release(): void {
    if (this.lock) removeRunlogLockSync(this.dataDir, this.lock);
    this.watchdog?.end();
  }

  /** Ends the watchdog and waits until it is gone (bounded). */
  async stopWatchdog(): Promise<void> {
    await this.watchdog?.stop();
  }
}
