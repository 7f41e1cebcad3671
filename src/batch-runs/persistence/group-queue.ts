/**
 * The queue side of group commit, apart from what a group does in the database (GroupCommitter): which
 * queued items go together, and when. Items are spread over lanes by a hash of their run, so one run
 * always lands in the same lane and keeps its order. A lane has up to `pipeline` workers; each takes a
 * group (the queued items, in order, of runs that are neither in flight nor held back, up to about
 * `maxWeight`), hands it to `commit`, and takes the next until nothing is left for it. Items queued in
 * the same turn of the event loop join one group (a worker starts on setImmediate, not a microtask);
 * items that arrive while groups are in flight start another group at once, while the pipeline has
 * room, and wait for the next one once it is full. A run is never in two groups at once.
 */
import { fnv1a } from '../../common/seeded-random';

export interface GroupQueueOptions<T> {
  lanes: number;
  /** Groups one lane may have in flight at once. */
  pipeline: number;
  /** About how much a group holds: it is closed once its items weigh this much (it always takes one). */
  maxWeight: number;
  runOf(item: T): string;
  weightOf(item: T): number;
  /** Whether a run's items must wait (its snapshot is being written); call release() when that ends. */
  isHeld(runId: string): boolean;
  /** Commits a group; it must settle every item itself (the queue only waits for it). */
  commit(group: T[]): Promise<void>;
  /** Called as a group goes in flight, with the number of groups then in flight in every lane. */
  onInFlight?(groupsInFlight: number): void;
}

interface Lane<T> {
  queue: T[];
  /** Each takes a group, commits it, and takes the next until nothing is left for it. */
  workers: Set<Promise<void>>;
  /** A worker is about to start (on the next turn of the event loop). */
  starting: boolean;
  /** Runs whose group is in flight: their later items wait. */
  inFlightRuns: Set<string>;
}

export class GroupQueue<T> {
  private readonly lanes: Lane<T>[];
  private inFlight = 0;

  constructor(private readonly options: GroupQueueOptions<T>) {
    this.lanes = Array.from({ length: options.lanes }, () => ({ queue: [], workers: new Set(), starting: false, inFlightRuns: new Set() }));
  }

  push(item: T): void {
    const lane = this.laneOf(this.options.runOf(item));
    lane.queue.push(item);
    this.kick(lane);
  }

  /** A held-back run may go again: its lane takes its items. */
  release(runId: string): void {
    this.kick(this.laneOf(runId));
  }

  /** Items waiting in each lane, not yet taken into a group. */
  depths(): number[] {
    return this.lanes.map((lane) => lane.queue.length);
  }

  /** The lane of a run (0..lanes-1), for reporting. */
  laneIndex(runId: string): number {
    return this.options.lanes === 1 ? 0 : fnv1a(runId) % this.options.lanes;
  }

  /** The workers running now: when none is left and nothing is queued, every item pushed has been committed. */
  busy(): Promise<void>[] {
    return this.lanes.flatMap((lane) => [...lane.workers]);
  }

  private laneOf(runId: string): Lane<T> {
    return this.lanes[this.laneIndex(runId)];
  }

  private kick(lane: Lane<T>): void {
    if (lane.queue.length === 0 || lane.starting || lane.workers.size >= this.options.pipeline) return;
    lane.starting = true;
    const worker: Promise<void> = new Promise<void>((done) =>
      setImmediate(() => {
        lane.starting = false;
        this.work(lane).finally(done);
      }),
    ).finally(() => {
      lane.workers.delete(worker);
      this.kick(lane); // items a worker left (their run was in another group) are taken by a new one
    });
    lane.workers.add(worker);
  }

  private async work(lane: Lane<T>): Promise<void> {
    for (let group = this.take(lane); group.length > 0; group = this.take(lane)) {
      const runs = [...new Set(group.map((item) => this.options.runOf(item)))];
      for (const id of runs) lane.inFlightRuns.add(id);
      this.options.onInFlight?.(++this.inFlight);
      try {
        await this.options.commit(group);
      } finally {
        this.inFlight -= 1;
        for (const id of runs) lane.inFlightRuns.delete(id);
      }
    }
  }

  /**
   * Takes queued items, in order, until the group weighs about maxWeight; the items of runs in flight
   * or held back stay queued, in their order (once one item of a run stays, all its later ones do).
   */
  private take(lane: Lane<T>): T[] {
    const taken: T[] = [];
    const kept: T[] = [];
    const staying = new Set<string>();
    let weight = 0;
    for (const item of lane.queue) {
      const id = this.options.runOf(item);
      if (staying.has(id) || lane.inFlightRuns.has(id) || this.options.isHeld(id) || (taken.length > 0 && weight >= this.options.maxWeight)) {
        staying.add(id);
        kept.push(item);
        continue;
      }
      weight += this.options.weightOf(item);
      taken.push(item);
    }
    lane.queue = kept;
    return taken;
  }
}
