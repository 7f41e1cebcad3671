/**
 * How complete a log answer is: the seq range it returned, how many entries, and the after_seq that
 * continues it when more entries (matching its filter) follow. Counted from the pages as they pass,
 * one look per page (a snapshot page knows its first seq and its count), never per entry or by parsing.
 */
import { StoredLogEntry } from '../domain/run.events';
import { SnapshotText } from './formats/snapshot-text';

type Page = readonly StoredLogEntry[] | SnapshotText;

/**
 * Whether more entries follow once the pages are read: the after_seq that reads them, or null.
 * Called with what was seen, only after the last page.
 */
export type MoreAfter = (seen: LogExtent) => Promise<number | null> | number | null;

export class LogExtent {
  firstSeq: number | null = null;
  lastSeq: number | null = null;
  count = 0;
  /** Pass as after_seq for what follows; null when nothing more matches. Final once the pages have ended. */
  nextAfterSeq: number | null = null;

  /** The pages as they are, noting each one's range; once they end, asks `moreAfter` what follows. */
  async *track<P extends Page>(pages: AsyncIterable<P>, moreAfter: MoreAfter): AsyncIterable<P> {
    for await (const page of pages) {
      this.see(page);
      yield page;
    }
    this.nextAfterSeq = await moreAfter(this);
  }

  private see(page: Page): void {
    const count = page instanceof SnapshotText ? page.count : page.length;
    if (count === 0) return;
    const first = page instanceof SnapshotText ? page.firstSeq : page[0].seq;
    const last = page instanceof SnapshotText ? page.firstSeq + page.count - 1 : page[page.length - 1].seq;
    this.firstSeq ??= first;
    this.lastSeq = last;
    this.count += count;
  }
}

/** Nothing follows: a read that went to the end of the log. */
export const NOTHING_MORE: MoreAfter = () => null;
