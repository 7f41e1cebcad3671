import { NotifyBacklog } from './notify-backlog';
import { ALL_STREAMS } from './stream-signal';

describe('NotifyBacklog', () => {
  it('gives each committed stream once, in the order first committed, and is empty after', () => {
    const backlog = new NotifyBacklog(10);
    expect(backlog.isEmpty).toBe(true);
    for (const id of ['a', 'b', 'a', 'c', 'b']) backlog.add(id);
    expect(backlog.isEmpty).toBe(false);
    expect(backlog.take()).toEqual(['a', 'b', 'c']);
    expect(backlog.isEmpty).toBe(true);
    expect(backlog.take()).toEqual([]);
  });

  it('past its limit keeps no names and owes one "*" instead', () => {
    const backlog = new NotifyBacklog(3);
    for (const id of ['a', 'b', 'c']) backlog.add(id);
    expect(backlog.take()).toEqual(['a', 'b', 'c']);
    for (const id of ['a', 'b', 'c', 'd', 'e']) backlog.add(id);
    expect(backlog.take()).toEqual([ALL_STREAMS]);
    backlog.add('f');
    expect(backlog.take()).toEqual(['f']);
  });

  it('a failed send is owed again beside what arrived meanwhile, still bounded', () => {
    const backlog = new NotifyBacklog(3);
    backlog.add('a');
    const failed = backlog.take();
    backlog.add('b');
    backlog.restore(failed);
    expect(backlog.take()).toEqual(['b', 'a']);
    backlog.add('x');
    backlog.restore([ALL_STREAMS]);
    backlog.add('y');
    expect(backlog.take()).toEqual([ALL_STREAMS]);
    backlog.add('c');
    backlog.restore(['d', 'e', 'f']);
    expect(backlog.take()).toEqual([ALL_STREAMS]);
  });
});
