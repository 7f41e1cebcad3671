/** The run's events as Server-Sent Events: stored then live, resumable, across instances. */
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { ManualClock } from '../../src/common/clock';
import { connectSse } from '../support/sse-client';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const line = (message: string) => ({ level: 'info', message });

describe('events over SSE', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  const url = (id: string, query = '') => `${t.baseUrl}/api/v1/admin/batch/history/${id}/events${query}`;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    auth = { Authorization: `Bearer ${await tokenFor('admin')}` };
  });
  afterAll(async () => t.close());

  it('sends the stored events in order, then live ones as they commit, and ends when the run finishes', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'live' }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'live', entries: [line('stored')] }));
    const sse = await connectSse(url('live'), auth);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers['content-type']).toContain('text/event-stream');
      const first = await sse.next();
      expect(first).toMatchObject({ id: '1', event: 'BatchRunStarted' });
      expect(JSON.parse(first!.data)).toMatchObject({ version: 1, type: 'BatchRunStarted', data: { batchRunId: 'live' } });
      expect(await sse.next()).toMatchObject({ id: '2', event: 'LogAppended' });

      await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'live', entries: [line('live one')] }));
      const live = await sse.next(5000);
      expect(live).toMatchObject({ id: '3', event: 'LogAppended' });
      expect(JSON.parse(live!.data).data.entries[0].message).toBe('live one');

      await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'live', status: 'completed' }));
      expect(await sse.next(5000)).toMatchObject({ id: '4', event: 'BatchRunFinished' });
      expect(await sse.next(5000)).toBeNull(); // the server ended the stream
    } finally {
      sse.close();
    }
  });

  it('resumes after Last-Event-ID, losing none and repeating none', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'resume' }));
    for (let i = 0; i < 5; i += 1) await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'resume', entries: [line(`m${i}`)] }));
    const first = await connectSse(url('resume'), auth);
    const seen: string[] = [];
    for (let i = 0; i < 3; i += 1) seen.push((await first.next())!.id!);
    first.close();

    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'resume', entries: [line('while away')] }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'resume', status: 'completed' }));
    const second = await connectSse(url('resume'), { ...auth, 'Last-Event-ID': seen[seen.length - 1] });
    const rest = await second.rest(5000);
    second.close();
    expect([...seen, ...rest.map((e) => e.id)]).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);

    // Resuming after the last event of a finished run ends at once.
    const done = await connectSse(url('resume'), { ...auth, 'Last-Event-ID': '8' });
    expect(await done.rest(5000)).toEqual([]);
    done.close();
  });

  it('follows a run written through another runlog instance on the same database', async () => {
    const writer = await startTestApp({ db: t.db });
    try {
      await writer.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'elsewhere' }));
      const sse = await connectSse(url('elsewhere'), auth);
      try {
        expect(await sse.next()).toMatchObject({ id: '1' });
        for (let i = 0; i < 20; i += 1) {
          await writer.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'elsewhere', entries: [line(`remote ${i}`)] }));
        }
        await writer.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'elsewhere', status: 'completed' }));
        const rest = await sse.rest(8000);
        expect(rest.map((e) => Number(e.id))).toEqual(Array.from({ length: 21 }, (_, i) => i + 2));
        expect(rest[rest.length - 1].event).toBe('BatchRunFinished');
      } finally {
        sse.close();
      }
    } finally {
      await writer.close();
    }
  });

  it('?speed=N paces the stored part at N times its original speed', async () => {
    const clock = new ManualClock(new Date('2026-01-11T14:00:00.000Z'));
    const paced = await startTestApp({ db: t.db, clock, listen: true });
    try {
      await paced.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'paced' }));
      for (let i = 0; i < 3; i += 1) {
        clock.advance(2000); // events 2 s apart in the run's own time
        await paced.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'paced', entries: [line(`p${i}`)] }));
      }
      await paced.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'paced', status: 'completed' }));
      const started = Date.now();
      const sse = await connectSse(`${paced.baseUrl}/api/v1/admin/batch/history/paced/events?speed=10`, auth);
      const events = await sse.rest(8000);
      const elapsed = Date.now() - started;
      sse.close();
      expect(events).toHaveLength(5);
      expect(elapsed).toBeGreaterThanOrEqual(550); // 6 s of run time at 10x is 600 ms
    } finally {
      await paced.close();
    }
  });

  it('refuses non-admins, unknown runs and a malformed Last-Event-ID', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'guarded' }));
    const user = await connectSse(url('guarded'), { Authorization: `Bearer ${await tokenFor('user')}` });
    expect(user.status).toBe(403);
    user.close();
    const missing = await connectSse(url('missing'), auth);
    expect(missing.status).toBe(404);
    missing.close();
    const bad = await connectSse(url('guarded'), { ...auth, 'Last-Event-ID': 'abc' });
    expect(bad.status).toBe(400);
    bad.close();
    const badSpeed = await connectSse(url('guarded', '?speed=0'), auth);
    expect(badSpeed.status).toBe(400);
    badSpeed.close();
  });
});
