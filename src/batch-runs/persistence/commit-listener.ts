/**
 * What wants to know, synchronously and in order, that events were committed: the read cache (so a
 * read right after an acknowledged write sees it), the event bus bridge (live tails, side effects) and
 * the event notifier (followers here at once, and other instances by NOTIFY), and the search indexer
 * (which runs have new lines to index).
 */
import { RecordedRunEvent } from '../domain/run.events';
import { RunState } from '../domain/run.state';

export const COMMIT_LISTENERS = Symbol('COMMIT_LISTENERS');

export interface CommitListener {
  onCommitted(events: RecordedRunEvent[], states: Map<string, RunState>): void;
}
