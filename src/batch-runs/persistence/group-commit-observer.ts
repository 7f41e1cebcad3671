/**
 * What the group committer reports about each committed group, for whoever measures it (metrics).
 * Called once per group, after COMMIT, with numbers the committer already has: it must stay O(1)
 * per group (no work per entry), and it is synchronous, so it adds no await to the write path.
 */
export const GROUP_COMMIT_OBSERVER = Symbol('GROUP_COMMIT_OBSERVER');

export interface CommittedGroup {
  /** The lane (0..GROUP_COMMIT_LANES-1) whose transaction this was. */
  lane: number;
  commands: number;
  /** Log entries the group stored (idempotent repeats and entries past the per-run cap are not stored). */
  entriesStored: number;
  /** Entries not stored because their run reached MAX_ENTRIES_PER_RUN. */
  entriesDropped: number;
  /** BEGIN to COMMIT, seconds. */
  seconds: number;
}

export interface GroupCommitObserver {
  groupCommitted(group: CommittedGroup): void;
}
