/**
 * Group commit, the transaction side: a group of commands (formed by GroupQueue: lanes, the pipeline,
 * per-run order, runs held back while their snapshot is written) is decided against the state the
 * previous ones left and committed at once, events and projections in one statement. A caller's promise
 * resolves only after its group has committed, so an acknowledged command is durable, and the order of
 * acceptance is the order of seqs.
 *
 * The usual group is decided from this instance's cached states and written in autocommit, guarded by
 * the versions decided from; anything else (a cache miss, another writer's version, a rule broken
 * against the cache) is decided again in a transaction holding the runs' row locks.
 *
 * A phase end or finish calls for a snapshot, which rewrites the run's whole JSONB log: it is written
 * after the group, in a transaction of its own (SnapshotWriter), and the command that called for it
 * is acknowledged once it is written. Meanwhile only that run's later commands wait in the queue; the
 * rest of the lane goes on.
 */
import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { performance } from 'perf_hooks';
import { Pool, PoolClient } from 'pg';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { Clock } from '../../common/clock';
import { isDatabaseUnavailable } from '../../database/database-errors';
import { PG_POOL } from '../../database/pg-pool';
import { RunCommand } from '../domain/run.commands';
import { RecordedRunEvent, writesSnapshot } from '../domain/run.events';
import { RunState } from '../domain/run.state';
import { ruleBrokenInDatabase } from './constraint-rules';
import { isStreamVersionConflict, StreamVersionChanged } from './event-store';
import { CommitResult, decideGroup, GroupDecision } from './group-decision';
import { GroupQueue } from './group-queue';
import { GroupWriter } from './group-writer';
import { snapshotTargets } from './run-projection';
import { SnapshotWriter } from './snapshot-writer';
import { RunStateLoader } from './run-state.loader';
import { SQL } from './run.sql';
import { COMMIT_LISTENERS, CommitListener } from './commit-listener';
import { RUN_POLICY } from './run-policy.provider';
import { RunPolicy } from '../domain/run.policy';
import { GROUP_COMMIT_OBSERVER, GroupCommitObserver } from './group-commit-observer';

export type { CommitResult } from './group-decision';

interface Pending {
  command: RunCommand;
  resolve(result: CommitResult): void;
  reject(error: unknown): void;
}

export interface GroupStats {
  groups: number;
  commands: number;
  largestGroup: number;
  /** The most group transactions that were in flight at once (at most GROUP_COMMIT_LANES). */
  mostInFlight: number;
  /** Groups written in one autocommit statement, decided from cached states. */
  optimisticGroups: number;
  /** Groups whose statement met another writer's version (or whose cached state broke a rule): decided again under the locks. */
  optimisticFallbacks: number;
}

const MAX_CONFLICT_RETRIES = 5;
/** Committed states kept for deciding without a read; a miss costs one indexed row read. */
const MAX_CACHED_STATES = 10000;

@Injectable()
export class GroupCommitter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(GroupCommitter.name);
  private readonly queue: GroupQueue<Pending>;
  private readonly states = new Map<string, RunState>();
  /** Runs whose snapshot is being written: their queued commands wait for it, in order. */
  private readonly snapshotting = new Map<string, Promise<void>>();
  readonly stats: GroupStats = { groups: 0, commands: 0, largestGroup: 0, mostInFlight: 0, optimisticGroups: 0, optimisticFallbacks: 0 };

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly writer: GroupWriter,
    private readonly snapshots: SnapshotWriter,
    private readonly stateLoader: RunStateLoader,
    @Inject(COMMIT_LISTENERS) private readonly listeners: CommitListener[],
    @Inject(RUN_POLICY) private readonly policy: RunPolicy,
    @Optional() @Inject(GROUP_COMMIT_OBSERVER) private readonly observer?: GroupCommitObserver,
  ) {
    this.queue = new GroupQueue<Pending>({
      lanes: config.groupCommitLanes,
      pipeline: config.groupCommitPipeline,
      maxWeight: config.groupCommitMaxEntries,
      runOf: (p) => p.command.input.batchRunId,
      weightOf: ({ command }) => (command.kind === 'append' ? (command.input.entries?.length ?? 0) : 1),
      isHeld: (id) => this.snapshotting.has(id), // a run's later commands wait for its snapshot
      commit: (group) => this.commitGroup(group),
      onInFlight: (n) => (this.stats.mostInFlight = Math.max(this.stats.mostInFlight, n)),
    });
  }

  submit(command: RunCommand): Promise<CommitResult> {
    return new Promise<CommitResult>((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
    });
  }

  /** Commands waiting in each lane's queue, not yet taken into a group (read when metrics are scraped). */
  queueDepths(): number[] {
    return this.queue.depths();
  }

  /** On shutdown, what was submitted is committed (or rejected) before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  /** Resolves when every command submitted so far has been committed or rejected. */
  async idle(): Promise<void> {
    for (let busy = this.busyWork(); busy.length > 0; busy = this.busyWork()) await Promise.all(busy);
  }

  /** The lanes' drains and the snapshot writes in progress. */
  private busyWork(): Promise<void>[] {
    return [...this.queue.busy(), ...this.snapshotting.values()];
  }

  /** The snapshot a committed phase end or finish calls for; the run's later commands wait for it. */
  private startSnapshot(batchRunId: string, lastSeq: number): Promise<void> {
    const written = this.snapshots.write(batchRunId, lastSeq).finally(() => {
      this.snapshotting.delete(batchRunId);
      this.queue.release(batchRunId);
    });
    this.snapshotting.set(batchRunId, written);
    return written;
  }

  /**
   * Commits a group and settles every command in it. A version conflict (another instance advanced
   * one of the runs) is decided again from that run's committed state, up to MAX_CONFLICT_RETRIES times.
   */
  private async commitGroup(group: Pending[]): Promise<void> {
    const streamIds = [...new Set(group.map((p) => p.command.input.batchRunId))];
    for (let attempt = 1; ; attempt += 1) {
      let committed: { decided: GroupDecision; seconds: number };
      try {
        committed = await this.withClient(async (client) => {
          const began = performance.now();
          const decided = await this.write(client, group, streamIds, attempt === 1);
          return { decided, seconds: (performance.now() - began) / 1000 };
        });
      } catch (error) {
        for (const id of streamIds) this.states.delete(id);
        if (isStreamVersionConflict(error) && attempt < MAX_CONFLICT_RETRIES) continue;
        return this.fail(group, error);
      }
      return this.settle(group, committed.decided, committed.seconds); // committed: whatever follows, no command of it fails
    }
  }

  /** Runs `work` on a pooled connection and releases it once: a connection the database dropped is discarded, not pooled again. */
  private async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      const result = await work(client);
      client.release();
      return result;
    } catch (error) {
      client.release(isDatabaseUnavailable(error) ? (error as Error) : undefined);
      throw error;
    }
  }

  /**
   * Decides the group and writes it. The usual group: every run's committed state is cached (this
   * instance wrote it last), so the group is decided from the cache and written by its one statement in
   * autocommit: one round trip, one WAL flush. The statement checks that each run's version is still the
   * one decided from; if another instance wrote meanwhile it writes nothing, and the group is decided
   * again under the runs' locks. A rule broken against the cache (a seq gap...) may only be the cache's
   * lag, and so may a command that changes nothing (a retry, answered with the run's last seq): both are
   * judged under the locks too.
   */
  private async write(client: PoolClient, group: Pending[], streamIds: string[], mayDecideFromCache: boolean): Promise<GroupDecision> {
    const cached = mayDecideFromCache ? this.cachedStates(streamIds) : null;
    if (cached) {
      const decided = this.decide(group, cached, await this.storedUidsFor(client, group));
      const everyCommandWrites = decided.outcomes.every((o) => 'result' in o && o.result.events.length > 0);
      if (everyCommandWrites && (await this.writer.write(client, decided.events, decided.touched.values(), versionsOf(cached)))) {
        this.stats.optimisticGroups += 1;
        return decided;
      }
      this.stats.optimisticFallbacks += 1;
      for (const id of streamIds) this.states.delete(id);
    }
    return this.writeLocked(client, group, streamIds);
  }

  /**
   * Decides from the runs' committed state, locked by the transaction that writes: another instance
   * writing the same run waits for this commit and then decides from its result.
   */
  private async writeLocked(client: PoolClient, group: Pending[], streamIds: string[]): Promise<GroupDecision> {
    await client.query('BEGIN');
    try {
      const committed = await this.statesFor(client, streamIds);
      const decided = this.decide(group, committed, await this.storedUidsFor(client, group));
      // Only a run started meanwhile by another instance (no row to lock before) can fail the guard here.
      if (!(await this.writer.write(client, decided.events, decided.touched.values(), versionsOf(committed)))) throw new StreamVersionChanged();
      await client.query('COMMIT');
      return decided;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * After the commit: the cache, the stats and the listeners learn of it, the snapshots it calls for
   * start, and each caller is answered (a phase end or finish once its snapshot is written).
   */
  private settle(group: Pending[], { outcomes, events, touched }: GroupDecision, seconds: number): void {
    for (const [id, state] of touched) this.remember(id, state);
    this.recordStats(group, events, seconds);
    this.notify(events, touched);
    const snapshots = new Map([...snapshotTargets(events)].map(([id, lastSeq]) => [id, this.startSnapshot(id, lastSeq)] as const));
    outcomes.forEach((o, i) => {
      const pending = group[i];
      if ('error' in o) pending.reject(o.error);
      else if (o.result.events.some(writesSnapshot)) void snapshots.get(pending.command.input.batchRunId)!.then(() => pending.resolve(o.result));
      else pending.resolve(o.result);
    });
  }

  /** A group that could not be committed: its commands fail, or are committed one by one when only one of them may be at fault. */
  private async fail(group: Pending[], error: unknown): Promise<void> {
    if (!isDatabaseUnavailable(error)) {
      if (group.length > 1) {
        // The database refused something the rules let through: commit the commands one by one, so
        // only the one at fault fails and the others' producers never see its error.
        this.logger.warn(`group of ${group.length} refused (${(error as Error).message}); committing one by one`);
        for (const pending of group) await this.commitGroup([pending]);
        return;
      }
      // One command, refused by a constraint that states a rule spanning runs (one running onboarding
      // run per portfolio): the rule error it stands for, a 409, not a failed commit. The rule lives in
      // the database because only there is it judged across lanes, group commits and instances; a group
      // that held such a start was retried command by command above, so only the start fails.
      const broken = ruleBrokenInDatabase(error, group[0].command);
      if (broken) return group[0].reject(broken);
    }
    const message = `commit of ${group.length} command(s) failed: ${(error as Error).message}`;
    if (isDatabaseUnavailable(error)) this.logger.warn(message); // the caller retries, spools or answers 503
    else this.logger.error(message);
    for (const p of group) p.reject(error);
  }

  private decide(group: Pending[], states: ReadonlyMap<string, RunState>, storedUids: ReadonlyMap<string, ReadonlySet<string>>) {
    return decideGroup(group.map((p) => p.command), states, storedUids, this.clock.now(), this.policy);
  }

  /** The runs' cached committed states, when every one of them is cached; else null. */
  private cachedStates(ids: string[]): Map<string, RunState> | null {
    const states = new Map<string, RunState>();
    for (const id of ids) {
      const state = this.states.get(id);
      if (state === undefined) return null;
      states.set(id, state);
    }
    return states;
  }

  /**
   * Locks the runs' rows and returns their committed states: the cached one when its version is the
   * row's (the usual case: this instance wrote last), else the row itself, read under the lock. A
   * cache behind another instance's commit is never decided from, so no rule (a seq gap) is judged
   * against a stale state.
   */
  private async statesFor(client: PoolClient, ids: string[]): Promise<Map<string, RunState>> {
    const { rows } = await client.query<{ batch_run_id: string; stream_version: number }>({ ...SQL.lockRunVersions, values: [ids] });
    const versions = new Map(rows.map((r) => [r.batch_run_id, r.stream_version] as const));
    const stale = ids.filter((id) => this.states.get(id)?.version !== (versions.get(id) ?? 0));
    const loaded = await this.stateLoader.load(client, stale);
    return new Map(ids.map((id) => [id, loaded.get(id) ?? this.states.get(id)!] as const));
  }

  /**
   * Which of the group's entry uids their runs already hold, read under the runs' locks (statesFor), so a
   * retry racing its original in another instance still sees it. No query when no entry has a uid.
   */
  private async storedUidsFor(client: PoolClient, group: Pending[]): Promise<Map<string, Set<string>>> {
    const runs: string[] = [];
    const uids: string[] = [];
    for (const { command } of group) {
      if (command.kind !== 'append' || !Array.isArray(command.input.entries)) continue;
      for (const entry of command.input.entries) {
        if (typeof entry?.uid === 'string') {
          runs.push(command.input.batchRunId);
          uids.push(entry.uid);
        }
      }
    }
    const stored = new Map<string, Set<string>>();
    if (uids.length === 0) return stored;
    const { rows } = await client.query<{ batch_run_id: string; uid: string }>({ ...SQL.storedEntryUids, values: [runs, uids] });
    for (const row of rows) {
      let uids = stored.get(row.batch_run_id);
      if (uids === undefined) stored.set(row.batch_run_id, (uids = new Set()));
      uids.add(row.uid);
    }
    return stored;
  }

  private remember(id: string, state: RunState): void {
    this.states.delete(id); // re-insert: Map order is recency order
    this.states.set(id, state);
    if (this.states.size > MAX_CACHED_STATES) this.states.delete(this.states.keys().next().value!);
  }

  /** Forget a run's cached state (its stream was changed elsewhere, e.g. by a projection rebuild). */
  forget(id?: string): void {
    if (id === undefined) this.states.clear();
    else this.states.delete(id);
  }

  private recordStats(group: Pending[], events: RecordedRunEvent[], seconds: number): void {
    const size = group.length;
    this.stats.groups += 1;
    this.stats.commands += size;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, size);
    if (!this.observer) return;
    // Per event, not per entry: an append's event carries its seq range.
    let entriesStored = 0;
    let entriesDropped = 0;
    for (const e of events) {
      if (e.type === 'LogAppended') entriesStored += e.data.lastSeq - e.data.firstSeq + 1;
      else if (e.type === 'LogEntriesDropped') entriesDropped += e.data.count;
    }
    const lane = this.queue.laneIndex(group[0].command.input.batchRunId);
    this.observer.groupCommitted({ lane, commands: size, entriesStored, entriesDropped, seconds });
  }

  private notify(events: RecordedRunEvent[], states: Map<string, RunState>): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener.onCommitted(events, states);
      } catch (error) {
        // Listeners are caches and fan-out: their failure must not turn a committed write into an error.
        this.logger.warn(`commit listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function versionsOf(states: ReadonlyMap<string, RunState>): Map<string, number> {
  return new Map([...states].map(([id, state]) => [id, state.version] as const));
}

