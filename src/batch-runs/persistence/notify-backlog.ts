/**
 * The streams committed but not yet named to the other instances (EventNotifier sends them after each
 * commit, and after a reconnect). Bounded: past `limit` distinct streams it stops keeping names and
 * sends one '*' instead, which tells every follower everywhere to look, so a long outage of the
 * notify connection costs memory for at most `limit` ids.
 */
import { ALL_STREAMS } from './stream-signal';

export class NotifyBacklog {
  private readonly streams = new Set<string>();
  private everything = false;

  constructor(private readonly limit: number) {}

  add(streamId: string): void {
    if (this.everything) return;
    this.streams.add(streamId);
    if (this.streams.size > this.limit) {
      this.everything = true;
      this.streams.clear();
    }
  }

  get isEmpty(): boolean {
    return !this.everything && this.streams.size === 0;
  }

  /** What to send now ([] when nothing), leaving the backlog empty. */
  take(): string[] {
    const taken = this.everything ? [ALL_STREAMS] : [...this.streams];
    this.everything = false;
    this.streams.clear();
    return taken;
  }

  /** A send that failed: its streams are owed again, beside what arrived meanwhile. */
  restore(streamIds: string[]): void {
    for (const id of streamIds) {
      if (id === ALL_STREAMS) {
        this.everything = true;
        this.streams.clear();
        return;
      }
      this.add(id);
    }
  }
}
