/**
 * What a group of commands does, decided in acceptance order from the runs' committed states: each
 * command against the state the ones before it left (pure: the rules are run.decide.ts's, the fold
 * run.state.ts's). A command that breaks a rule is refused alone; the others go on. No I/O: the
 * committer reads the states and uids before and writes the events after.
 */
import { RunCommand } from '../domain/run.commands';
import { decide } from '../domain/run.decide';
import { RecordedRunEvent } from '../domain/run.events';
import { RunRuleError } from '../domain/run.errors';
import { RunPolicy } from '../domain/run.policy';
import { evolve, RunState } from '../domain/run.state';

export interface CommitResult {
  /** The run's state right after this command's events (not after later commands of the same group). */
  state: RunState;
  events: RecordedRunEvent[];
}

export type Outcome = { result: CommitResult } | { error: RunRuleError };

export interface GroupDecision {
  /** One per command, in the group's order. */
  outcomes: Outcome[];
  /** Every event of the group, in acceptance order, with its stream version. */
  events: RecordedRunEvent[];
  /** Each run the group changes, as its last event left it. */
  touched: Map<string, RunState>;
}

/**
 * committed: every run's state before the group; storedUids: the entry uids each run holds (a command's
 * entries with one are retries, and so are those an earlier command of the group stored).
 */
export function decideGroup(
  commands: readonly RunCommand[],
  committed: ReadonlyMap<string, RunState>,
  storedUids: ReadonlyMap<string, ReadonlySet<string>>,
  now: Date,
  policy: RunPolicy,
): GroupDecision {
  const working = new Map(committed);
  const uids = new Map<string, Set<string>>();
  const touched = new Map<string, RunState>();
  const events: RecordedRunEvent[] = [];
  const outcomes: Outcome[] = [];
  const occurredAt = now.toISOString();
  for (const command of commands) {
    const id = command.input.batchRunId;
    try {
      let state = working.get(id)!;
      const recorded = decide(command, state, now, policy, uids.get(id) ?? storedUids.get(id)).map((event) => {
        state = evolve(state, event);
        return { ...event, streamId: id, version: state.version, occurredAt } as RecordedRunEvent;
      });
      // The uids this command stored count for the group's later commands (a copy: the caller's map stays as it was).
      for (const e of recorded) {
        if (e.type !== 'LogAppended') continue;
        for (const entry of e.data.entries) {
          if (entry.uid === undefined) continue;
          let known = uids.get(id);
          if (known === undefined) uids.set(id, (known = new Set(storedUids.get(id))));
          known.add(entry.uid);
        }
      }
      working.set(id, state);
      if (recorded.length > 0) touched.set(id, state);
      events.push(...recorded);
      outcomes.push({ result: { state, events: recorded } });
    } catch (error) {
      if (!(error instanceof RunRuleError)) throw error;
      outcomes.push({ error }); // a broken rule refuses this command only, not its group
    }
  }
  return { outcomes, events, touched };
}
