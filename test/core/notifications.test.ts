/**
 * Committed streams are named to other instances by NOTIFY after the commit, from each instance's
 * LISTEN connection (not from the commit statement, where PostgreSQL would serialise every commit's
 * WAL flush behind the notify lock); this instance's followers are told at the commit, once. Two real
 * instances and a plain LISTEN client on one database.
 */
import { Client, Notification } from 'pg';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { EventNotifier } from '../../src/batch-runs/persistence/event-notifier';
import { EVENTS_CHANNEL } from '../../src/batch-runs/persistence/run.sql';
import { startTestApp, TestApp } from '../support/test-app';

interface Heard {
  payload: string;
  pid: number;
  /** The stream's stored version when the notification arrived. */
  storedVersion: number;
}

describe('notifications of committed streams', () => {
  let a: TestApp;
  let b: TestApp;
  let listener: Client;
  const heard: Heard[] = [];

  const until = async (what: string, condition: () => boolean | Promise<boolean>, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** The instances' LISTEN connections (their last statement was the LISTEN, or a NOTIFY since). */
  const listenBackends = async () =>
    (
      await a.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'runlog-listen' AND (query LIKE '%LISTEN%' OR query LIKE '%pg_notify%')`,
      )
    ).rows.map((r) => r.pid);
  const signalsOf = (t: TestApp, streamId: string) => {
    const seen: string[] = [];
    const subscription = t.app.get(EventNotifier).changesOf(streamId).subscribe((s) => seen.push(s));
    return { seen, stop: () => subscription.unsubscribe() };
  };
  const append = (t: TestApp, batchRunId: string, message: string) =>
    t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId, entries: [{ level: 'info', message }] }));

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ db: a.db });
    listener = new Client({ connectionString: a.db.url });
    await listener.connect();
    const reader = new Client({ connectionString: a.db.url });
    await reader.connect();
    listener.on('notification', (n: Notification) => {
      // What a listener reading on notice would find: the commit named is already visible.
      void reader
        .query<{ v: number }>(`SELECT COALESCE(max(version), 0)::int AS v FROM batch_run_events WHERE stream_id = $1`, [n.payload])
        .then(({ rows }) => heard.push({ payload: n.payload ?? '', pid: n.processId, storedVersion: rows[0].v }));
    });
    listener.on('end', () => void reader.end().catch(() => undefined));
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    await until('both instances listening', async () => (await listenBackends()).length === 2);
  });
  afterAll(async () => {
    await listener?.end().catch(() => undefined);
    await b?.close();
    await a?.close();
  });

  it("names each committed stream to other instances from the LISTEN connection after the commit; A's own followers are told once per commit", async () => {
    const atA = signalsOf(a, 'note-1');
    const atB = signalsOf(b, 'note-1');
    try {
      await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'note-1' }));
      expect(atA.seen).toEqual(['note-1']); // at the commit, before the acknowledgement
      await append(a, 'note-1', 'one');
      expect(atA.seen).toEqual(['note-1', 'note-1']);
      await until('B to hear of note-1 at version 2', () => heard.some((h) => h.payload === 'note-1' && h.storedVersion === 2));
      await until('B to be told', () => atB.seen.length > 0);
      await new Promise((r) => setTimeout(r, 300)); // A's own NOTIFY comes back to A: it must not wake A's followers again
      expect(atA.seen).toEqual(['note-1', 'note-1']);

      const fromNote1 = heard.filter((h) => h.payload === 'note-1');
      const backends = await listenBackends();
      const pools = (await a.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name <> 'runlog-listen'`)).rows.map((r) => r.pid);
      expect(fromNote1.length).toBeGreaterThanOrEqual(1);
      expect(fromNote1.length).toBeLessThanOrEqual(2); // the two commits, or one NOTIFY naming both
      for (const h of fromNote1) {
        expect(backends).toContain(h.pid); // sent by a LISTEN connection...
        expect(pools).not.toContain(h.pid); // ...never by the commit statement on a pool connection
        expect(h.storedVersion).toBeGreaterThanOrEqual(1); // and only once the commit is visible
      }
    } finally {
      atA.stop();
      atB.stop();
    }
  });

  it('a commit while the notify connection is cut goes through, and is named to B once A has reconnected', async () => {
    await a.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'note-2' }));
    await until('note-2 to be named', () => heard.some((h) => h.payload === 'note-2'));
    const aPid = heard.find((h) => h.payload === 'note-2')!.pid;
    const atB = signalsOf(b, 'note-2');
    try {
      await a.pool.query(`SELECT pg_terminate_backend($1)`, [aPid]);
      await append(a, 'note-2', 'while cut'); // acknowledged: committed whatever the notify connection does
      await until('A to name note-2 again, from a new connection', () => heard.some((h) => h.payload === 'note-2' && h.pid !== aPid && h.storedVersion === 2), 10_000);
      await until('B to be told', () => atB.seen.includes('note-2'));
      expect((await a.pool.query(`SELECT count(*)::int AS n FROM batch_run_log_entries WHERE batch_run_id = 'note-2'`)).rows[0].n).toBe(1);
    } finally {
      atB.stop();
    }
  });
});
