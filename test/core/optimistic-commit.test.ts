/**
 * The usual group is decided from this instance's cached states and written by one autocommit
 * statement; a group whose runs another instance advanced meanwhile (a version conflict, or a rule the
 * stale cache says is broken) is decided again under the runs' locks. Two real instances on one database.
 */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { startTestApp, TestApp } from '../support/test-app';

describe('optimistic group commit', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ db: a.db });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const append = (t: TestApp, batchRunId: string, message: string, seq?: number) =>
    t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries: [{ level: 'info', message, seq }] }));
  const stored = async (batchRunId: string) =>
    (await a.pool.query(`SELECT seq, message FROM batch_run_log_entries WHERE batch_run_id = $1 ORDER BY seq`, [batchRunId])).rows;

  it('one writer: after the start, every append is one autocommit statement (no fallback)', async () => {
    await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'opt-one' }));
    const before = { ...a.committer.stats };
    for (let i = 1; i <= 50; i += 1) await append(a, 'opt-one', `line ${i}`);
    expect(a.committer.stats.optimisticGroups - before.optimisticGroups).toBe(50);
    expect(a.committer.stats.optimisticFallbacks - before.optimisticFallbacks).toBe(0);
    expect((await stored('opt-one')).map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('two writers taking turns on one run: each stale cache meets the other\'s version and falls back; every line once, in turn order', async () => {
    await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'opt-turns' }));
    await append(b, 'opt-turns', 'b caches the run'); // b decides under the lock once and caches it
    const before = a.committer.stats.optimisticFallbacks + b.committer.stats.optimisticFallbacks;
    for (let i = 1; i <= 20; i += 1) await append(i % 2 ? a : b, 'opt-turns', `turn ${i}`);
    expect(a.committer.stats.optimisticFallbacks + b.committer.stats.optimisticFallbacks - before).toBe(20); // every turn found the other's write
    const rows = await stored('opt-turns');
    expect(rows.map((r) => r.message)).toEqual(['b caches the run', ...Array.from({ length: 20 }, (_, i) => `turn ${i + 1}`)]);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  });

  it('two writers at once on one run: 2 × 200 appends, all stored once, seqs contiguous', async () => {
    await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'opt-race' }));
    await append(b, 'opt-race', 'warm');
    await Promise.all(
      [a, b].map(async (t, w) => {
        for (let i = 0; i < 200; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => append(t, 'opt-race', `w${w} ${i + k}`)));
      }),
    );
    const rows = await stored('opt-race');
    expect(rows).toHaveLength(401);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.message)).size).toBe(401);
    for (const w of [0, 1]) {
      const mine = rows.map((r) => r.message).filter((m) => m.startsWith(`w${w} `));
      expect(mine).toHaveLength(200);
    }
  });

  it('a seq the stale cache calls a gap is judged under the lock, from the committed state, and accepted', async () => {
    await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'opt-gap' }));
    for (let seq = 1; seq <= 5; seq += 1) await append(a, 'opt-gap', `a ${seq}`, seq); // a caches lastSeq 5
    for (let seq = 6; seq <= 10; seq += 1) await append(b, 'opt-gap', `b ${seq}`, seq);
    const before = a.committer.stats.optimisticFallbacks;
    const { state } = await append(a, 'opt-gap', 'a 11', 11); // a's cache expects 6: a gap only against the cache
    expect(state.lastSeq).toBe(11);
    expect(a.committer.stats.optimisticFallbacks - before).toBe(1);
    await expect(append(a, 'opt-gap', 'a 13', 13)).rejects.toMatchObject({ code: 'seq_gap' }); // a real gap stays one
    expect((await stored('opt-gap')).map((r) => r.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });
});
