/** The queue side of group commit alone: which items go together, in which order, how many at once. */
import { GroupQueue, GroupQueueOptions } from './group-queue';

interface Item {
  run: string;
  n: number;
  weight?: number;
}

/** A queue whose commits wait until the test lets them finish; it records every group. */
function harness(options: Partial<GroupQueueOptions<Item>> = {}) {
  const groups: Item[][] = [];
  const open: Array<() => void> = [];
  const held = new Set<string>();
  let most = 0;
  const queue = new GroupQueue<Item>({
    lanes: 1,
    pipeline: 1,
    maxWeight: 1000,
    runOf: (i) => i.run,
    weightOf: (i) => i.weight ?? 1,
    isHeld: (run) => held.has(run),
    commit: (group) => {
      groups.push(group);
      return new Promise<void>((resolve) => open.push(resolve));
    },
    onInFlight: (n) => (most = Math.max(most, n)),
    ...options,
  });
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const finishAll = async () => {
    for (let i = 0; i < 50 && (open.length > 0 || queue.busy().length > 0); i += 1) {
      open.splice(0).forEach((resolve) => resolve());
      await turn();
    }
  };
  return { queue, groups, held, turn, finishAll, inFlight: () => open.length, most: () => most, finishOne: () => open.shift()?.() };
}
const names = (group: Item[]) => group.map((i) => `${i.run}${i.n}`);

describe('GroupQueue', () => {
  it('items of one turn form one group; items arriving while it is in flight form the next, in order', async () => {
    const h = harness();
    h.queue.push({ run: 'a', n: 1 });
    h.queue.push({ run: 'b', n: 1 });
    await h.turn();
    h.queue.push({ run: 'a', n: 2 });
    h.queue.push({ run: 'c', n: 1 });
    await h.turn();
    expect(h.groups.map(names)).toEqual([['a1', 'b1']]); // the pipeline of 1 is full
    await h.finishAll();
    expect(h.groups.map(names)).toEqual([['a1', 'b1'], ['a2', 'c1']]);
  });

  it('with a pipeline, another group starts while one is in flight, but never with a run in flight; its later items wait in order', async () => {
    const h = harness({ pipeline: 4 });
    h.queue.push({ run: 'a', n: 1 });
    await h.turn();
    h.queue.push({ run: 'a', n: 2 });
    h.queue.push({ run: 'b', n: 1 });
    h.queue.push({ run: 'a', n: 3 });
    await h.turn();
    await h.turn();
    expect(h.groups.map(names)).toEqual([['a1'], ['b1']]); // a2 and a3 wait for a1's group
    expect(h.inFlight()).toBe(2);
    h.finishOne();
    await h.turn();
    await h.turn();
    expect(h.groups.map(names)).toEqual([['a1'], ['b1'], ['a2', 'a3']]);
    await h.finishAll();
    expect(h.most()).toBe(2);
  });

  it('never has more groups in flight than the pipeline', async () => {
    const h = harness({ pipeline: 2 });
    for (const run of ['a', 'b', 'c', 'd']) {
      h.queue.push({ run, n: 1 });
      await h.turn();
      await h.turn();
    }
    expect(h.inFlight()).toBe(2);
    await h.finishAll();
    expect(h.most()).toBe(2);
    expect(h.groups.map(names).flat().sort()).toEqual(['a1', 'b1', 'c1', 'd1']);
  });

  it('a held run waits, in order, while others go; released, it goes', async () => {
    const h = harness({ pipeline: 2 });
    h.held.add('a');
    h.queue.push({ run: 'a', n: 1 });
    h.queue.push({ run: 'b', n: 1 });
    h.queue.push({ run: 'a', n: 2 });
    await h.finishAll();
    expect(h.groups.map(names)).toEqual([['b1']]);
    expect(h.queue.depths()).toEqual([2]);
    h.held.delete('a');
    h.queue.release('a');
    await h.finishAll();
    expect(h.groups.map(names)).toEqual([['b1'], ['a1', 'a2']]);
  });

  it('a group closes at about maxWeight (always taking one item), and the rest follows', async () => {
    const h = harness({ maxWeight: 100 });
    for (let n = 1; n <= 3; n += 1) h.queue.push({ run: `r${n}`, n, weight: 60 });
    await h.finishAll();
    expect(h.groups.map(names)).toEqual([['r11', 'r22'], ['r33']]);
  });

  it('lanes: a run always in the same lane, each lane with its own pipeline', async () => {
    const h = harness({ lanes: 4 });
    const runs = Array.from({ length: 40 }, (_, i) => `run-${i}`);
    for (const run of runs) expect(h.queue.laneIndex(run)).toBe(h.queue.laneIndex(run));
    expect(new Set(runs.map((r) => h.queue.laneIndex(r))).size).toBe(4);
    for (const run of runs) h.queue.push({ run, n: 1 });
    await h.turn();
    expect(h.inFlight()).toBe(4); // one group per lane
    await h.finishAll();
    expect(h.groups.map(names).flat()).toHaveLength(40);
  });
});
