/**
 * Which runs a search-indexer tick looks at: the runs this instance wrote lines or a finish to, by key;
 * every run (a scan of the run table) only at start, every SEARCH_INDEX_SCAN_MS, and again while a scan
 * finds work. Real PostgreSQL, the indexer driven by hand (SEARCH_INDEX_INTERVAL_MS=0), its statements
 * counted by name.
 */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { SearchIndexer } from '../../src/batch-runs/search/search-indexer';
import { startTestApp, TestApp } from '../support/test-app';

/** Long enough that no scan comes due by itself during the suite: the tests move the indexer's clock past it. */
const SCAN_MS = 600_000;

describe('search indexer ticks', () => {
  let t: TestApp;
  let offsetMs = 0;
  const realNow = Date.now.bind(Date);
  /** The indexer reads Date.now() for when its next scan is due: SCAN_MS passes at once. */
  const passScanInterval = () => (offsetMs += SCAN_MS + 1);
  let indexer: SearchIndexer;
  const statements: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { SEARCH_INDEX_INTERVAL_MS: '0', SEARCH_INDEX_SCAN_MS: String(SCAN_MS) } });
    indexer = t.app.get(SearchIndexer);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
    const query = t.pool.query.bind(t.pool) as (...args: unknown[]) => unknown;
    // Every statement of the write pool, by name: the indexer's among them.
    (t.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as { name?: string } | string;
      if (typeof config === 'object' && config?.name?.startsWith('runlog_search_pending')) statements.push(config.name);
      return query(...args);
    };
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  const writeRun = async (id: string, lines: number) => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: id }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: Array.from({ length: lines }, (_, i) => ({ level: 'info', message: `${id} line ${i}` })) }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'completed' }));
  };
  const watermark = async (id: string) =>
    (await t.pool.query<{ w: number }>(`SELECT search_indexed_seq AS w FROM batch_run_history WHERE batch_run_id = $1`, [id])).rows[0].w;
  const tick = async () => {
    statements.length = 0;
    const report = await indexer.indexOnce(1_000_000);
    return { report, statements: [...statements] };
  };

  it('scans every run at start, again while a scan finds work, then not until SEARCH_INDEX_SCAN_MS has passed', async () => {
    await writeRun('ticks-a', 250);
    expect(await tick()).toMatchObject({ statements: ['runlog_search_pending_runs'], report: { entries: 250 } });
    expect(await tick()).toMatchObject({ statements: ['runlog_search_pending_runs'], report: { entries: 0 } }); // found none: no scan for a while
    for (let i = 0; i < 5; i++) expect((await tick()).statements).toEqual([]); // nothing written, nothing due: no statement at all
    passScanInterval();
    expect((await tick()).statements).toEqual(['runlog_search_pending_runs']);
  });

  it('between scans, a run this instance writes is looked up by key and indexed whole; then forgotten until written again', async () => {
    await writeRun('ticks-b', 1234);
    const first = await tick();
    expect(first.statements).toEqual(['runlog_search_pending_among']);
    expect(first.report.entries).toBe(1234);
    expect(await watermark('ticks-b')).toBe(1234);
    expect(await tick()).toMatchObject({ statements: ['runlog_search_pending_among'], report: { entries: 0 } }); // caught up: forgotten
    expect((await tick()).statements).toEqual([]);
  });

  it('a run it did not write (rows loaded by SQL) waits for the next scan, which indexes it', async () => {
    await t.pool.query(
      `INSERT INTO batch_run_history (id, batch_run_id, status, started_at, completed_at, last_seq, stream_version)
       VALUES (md5('ticks-sql')::uuid, 'ticks-sql', 'completed', now(), now(), 300, 0)`,
    );
    await t.pool.query(
      `INSERT INTO batch_run_log_entries (batch_run_id, seq, "timestamp", level, phase, message)
       SELECT 'ticks-sql', s, now(), 'info', NULL, 'loaded ' || s FROM generate_series(1, 300) s`,
    );
    expect(await tick()).toMatchObject({ statements: [], report: { entries: 0 } });
    expect(await watermark('ticks-sql')).toBe(0);
    passScanInterval();
    expect(await tick()).toMatchObject({ statements: ['runlog_search_pending_runs'], report: { entries: 300 } });
    expect(await watermark('ticks-sql')).toBe(300);
  });
});
