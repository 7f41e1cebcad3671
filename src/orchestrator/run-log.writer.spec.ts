import { RunCommand } from '../batch-runs/domain/run.commands';
import { Delivery } from '../batch-runs/spool/durable-dispatcher';
import { RunLogWriter } from './run-log.writer';

/** A dispatcher whose deliveries the test settles by hand, recording what it was sent. */
class ManualDispatcher {
  readonly sent: RunCommand[] = [];
  private readonly pending: Array<{ resolve(d: Delivery): void; reject(e: unknown): void }> = [];

  dispatch(command: RunCommand): Promise<Delivery> {
    this.sent.push(command);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  succeed(): void {
    this.pending.shift()!.resolve({ delivered: 'spooled' });
  }

  fail(error: unknown): void {
    this.pending.shift()!.reject(error);
  }
}

const seqs = (command: RunCommand) => (command.kind === 'append' ? command.input.entries.map((e) => e.seq) : []);
const line = (message: string) => ({ level: 'info', message });
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Settles with 'spinning' if `promise` has not settled after `hops` microtasks. A promise loop
 * that never yields to the event loop starves timers (and jest's own timeout), but not microtasks.
 */
function settlesWithoutSpinning<T>(promise: Promise<T>, hops = 10_000): Promise<T | 'spinning'> {
  let counter: Promise<'spinning'> = Promise.resolve('spinning');
  for (let i = 0; i < hops; i++) counter = counter.then((v) => v);
  return Promise.race([promise, counter]);
}

describe('RunLogWriter', () => {
  it('numbers lines from 1 and sends the lines of one turn, and those logged while one is in flight, together', async () => {
    const dispatcher = new ManualDispatcher();
    const writer = new RunLogWriter(dispatcher, 'run-1');
    void writer.log(line('a'));
    void writer.log(line('b'));
    await turn();
    expect(dispatcher.sent.map(seqs)).toEqual([[1, 2]]);
    void writer.log(line('c'));
    void writer.log(line('d'));
    const flushed = writer.flush();
    dispatcher.succeed();
    await turn();
    expect(dispatcher.sent.map(seqs)).toEqual([[1, 2], [3, 4]]);
    dispatcher.succeed();
    await flushed;
    expect(writer.lastSeq).toBe(4);
  });

  it('after a failed delivery refuses further lines at once, and flush() rejects instead of spinning', async () => {
    const dispatcher = new ManualDispatcher();
    const writer = new RunLogWriter(dispatcher, 'run-1');
    const first = writer.log(line('a'));
    await turn();
    dispatcher.fail(new Error('the spool is full'));
    await expect(first).rejects.toThrow('the spool is full');
    await turn();

    // The job goes on logging after the failure (it does not await its lines), then flushes.
    await expect(writer.log(line('b'))).rejects.toThrow('the spool is full');
    void writer.log(line('c'));
    const outcome = await settlesWithoutSpinning(writer.flush().then(() => 'resolved', (e: Error) => e.message));
    // Should it spin, end the spin before failing: a loop left running would starve the test runner.
    if (outcome === 'spinning') (writer as unknown as { inFlight: null }).inFlight = null;
    expect(outcome).toBe('the spool is full');
    expect(dispatcher.sent).toHaveLength(1); // nothing after the failure was sent: no gap in the seqs
    expect(writer.lastSeq).toBe(0);
  });

  it('a flush with nothing logged resolves at once', async () => {
    const writer = new RunLogWriter(new ManualDispatcher(), 'run-1');
    expect(await settlesWithoutSpinning(writer.flush().then(() => 'resolved'))).toBe('resolved');
  });
});
