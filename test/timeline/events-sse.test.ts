/** The run's events as Server-Sent Events: stored then live, resumable, across instances, followed by a standard EventSource client. */
import type { IncomingMessage } from 'http';
import type { Socket } from 'net';
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from '../../src/batch-runs/commands/complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { ManualClock } from '../../src/common/clock';
import { followWithEventSource } from '../support/event-source-client';
import { connectSse } from '../support/sse-client';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const line = (message: string) => ({ level: 'info', message });
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

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
      expect(JSON.parse(first!.data)).toMatchObject({ version: 1, type: 'BatchRunStarted', data: { batch_run_id: 'live' } });
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

  it('every event type has its documented snake_case shape, the same in the stream and the timeline (LogAppended adds its entries on the stream)', async () => {
    // A writer with a cap of 3 entries, so the run also records a LogEntriesDropped.
    const capped = await startTestApp({ db: t.db, env: { MAX_ENTRIES_PER_RUN: '3' } });
    try {
      const id = 'shapes';
      await capped.commandBus.execute(new StartBatchRunCommand({ batchRunId: id, portfolioId: 'c4d5e6f7-0a1b-4c2d-9e3f-5a6b7c8d9e0f', ownerId: 'ops', totalJobs: 2, phases: ['Load', 'Score'] }));
      await capped.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [
        { level: 'info', message: 'loading', phase: 'Load', timestamp: '2026-01-11T14:00:10.000Z' },
        { level: 'warning', message: 'slow source', phase: 'Load', timestamp: '2026-01-11T14:00:11.000Z' },
      ] }));
      await capped.commandBus.execute(new CompletePhaseCommand({ batchRunId: id, phase: 'Load', completedJobs: 1 }));
      await capped.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries: [line('over'), line('the cap')] }));
      await capped.commandBus.execute(new FinishBatchRunCommand({ batchRunId: id, status: 'partial' }));
    } finally {
      await capped.close();
    }
    const sse = await connectSse(url('shapes'), auth);
    const frames = await sse.rest(5000);
    sse.close();
    const streamed = frames.map((f) => JSON.parse(f.data));
    expect(frames.map((f) => f.event)).toEqual(streamed.map((e) => e.type)); // the SSE name is the type inside data
    expect(streamed.map((e) => e.type)).toEqual(['BatchRunStarted', 'LogAppended', 'PhaseCompleted', 'LogAppended', 'LogEntriesDropped', 'BatchRunFinished']);
    expect(streamed[0]).toEqual({
      version: 1,
      type: 'BatchRunStarted',
      occurred_at: ISO,
      data: { batch_run_id: 'shapes', portfolio_id: 'c4d5e6f7-0a1b-4c2d-9e3f-5a6b7c8d9e0f', owner_id: 'ops', total_jobs: 2, phases: ['Load', 'Score'], started_at: ISO, onboarding: false },
    });
    expect(streamed[1].data).toEqual({
      first_seq: 1,
      last_seq: 2,
      entry_count: 2,
      levels: { info: 1, warning: 1, error: 0 },
      entries: [
        { seq: 1, timestamp: '2026-01-11T14:00:10.000Z', level: 'info', phase: 'Load', message: 'loading' },
        { seq: 2, timestamp: '2026-01-11T14:00:11.000Z', level: 'warning', phase: 'Load', message: 'slow source' },
      ],
    });
    expect(streamed[2].data).toEqual({ phase: 'Load', status: 'completed', completed_jobs: 1, failed_jobs: 0, completed_at: ISO, last_seq: 2 });
    // The cap keeps one more entry and a warning that says where the log was cut.
    expect(streamed[3].data).toMatchObject({ first_seq: 3, last_seq: 3, entry_count: 1, levels: { info: 0, warning: 1, error: 0 } });
    expect(Object.keys(streamed[3].data.entries[0]).sort()).toEqual(['level', 'message', 'phase', 'seq', 'timestamp']);
    expect(streamed[4].data).toEqual({ count: 2, cut_at_seq: 3 });
    expect(streamed[5].data).toEqual({ status: 'partial', completed_jobs: 1, failed_jobs: 0, completed_at: ISO, last_seq: 3, reason: null });
    // No camelCase anywhere in what the stream sends.
    const keys = (value: unknown): string[] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...keys(v)]) : [];
    expect(streamed.flatMap(keys).filter((k) => /[A-Z]/.test(k))).toEqual([]);

    // The timeline shows the same events in the same shapes, LogAppended without its entries.
    const timeline = await request(t.baseUrl).get('/api/v1/admin/batch/history/shapes/timeline').set(auth).expect(200);
    const withoutEntries = streamed.map((e) => (e.type === 'LogAppended' ? { ...e, data: { ...e.data, entries: undefined } } : e));
    expect(timeline.body.events).toEqual(JSON.parse(JSON.stringify(withoutEntries)));
  });

  it('a standard EventSource client (eventsource package) gets every event in order by its documented name, then the 204 stops its reconnecting', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'es-done', phases: ['Only'] }));
    for (let i = 0; i < 3; i += 1) await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'es-done', entries: [line(`m${i}`)] }));
    await t.commandBus.execute(new CompletePhaseCommand({ batchRunId: 'es-done', phase: 'Only', completedJobs: 1 }));
    await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'es-done', status: 'completed' }));
    const es = followWithEventSource(url('es-done'), auth.Authorization);
    try {
      await es.until((events) => events.some((e) => e.name === 'BatchRunFinished'));
      expect(es.events.map((e) => [e.lastEventId, e.name])).toEqual([
        ['1', 'BatchRunStarted'],
        ['2', 'LogAppended'],
        ['3', 'LogAppended'],
        ['4', 'LogAppended'],
        ['5', 'PhaseCompleted'],
        ['6', 'BatchRunFinished'],
      ]);
      expect(es.events.map((e) => e.data.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(es.events[1].data.data).toEqual({
        first_seq: 1, last_seq: 1, entry_count: 1, levels: { info: 1, warning: 0, error: 0 },
        entries: [{ seq: 1, timestamp: ISO, level: 'info', phase: 'Only', message: 'm0' }],
      });
      expect(es.events[5].data.data).toMatchObject({ status: 'completed', completed_jobs: 1, last_seq: 3 });
      expect(es.unnamed).toBe(0); // every event is named: onmessage is not where they arrive (docs/api.md)
      // The server ends the finished run's stream; the client reconnects once, is answered 204, and stops.
      await es.stopped();
      expect(es.attempts).toEqual([null, '6']);
      expect(es.statuses).toEqual([200, 204]);
      expect(es.source.readyState).toBe(es.source.CLOSED);
    } finally {
      es.close();
    }
  }, 20_000);

  it('an EventSource client whose connection is killed mid-way resumes once by Last-Event-ID, losing and repeating nothing', async () => {
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'es-cut' }));
    for (let i = 0; i < 2; i += 1) await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'es-cut', entries: [line(`before ${i}`)] }));
    const sockets = new Set<Socket>();
    const server = t.app.getHttpServer();
    // The connection that carries this stream (undici may reuse a kept-alive one, so look at requests).
    const track = (req: IncomingMessage) => {
      if (req.url?.includes('/es-cut/events')) sockets.add(req.socket);
    };
    server.on('request', track);
    const es = followWithEventSource(url('es-cut'), auth.Authorization);
    try {
      await es.until((events) => events.length === 3);
      // Cut the connection from the server's side, as a proxy or a network fault would.
      for (const socket of sockets) socket.destroy();
      for (let i = 0; i < 3; i += 1) await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: 'es-cut', entries: [line(`after ${i}`)] }));
      await t.commandBus.execute(new FinishBatchRunCommand({ batchRunId: 'es-cut', status: 'completed' }));
      await es.until((events) => events.some((e) => e.name === 'BatchRunFinished'), 10_000);
      expect(es.events.map((e) => e.data.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(es.events.filter((e) => e.name === 'LogAppended').flatMap((e) => (e.data.data.entries as Array<{ message: string }>).map((x) => x.message))).toEqual([
        'before 0', 'before 1', 'after 0', 'after 1', 'after 2',
      ]);
      expect(es.attempts).toEqual([null, '3']); // resumed exactly once, after the last event it had
    } finally {
      es.close();
      server.off('request', track);
    }
  }, 20_000);

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
