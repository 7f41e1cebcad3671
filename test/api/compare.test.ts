/**
 * GET /api/v1/admin/batch/history/:id/compare: a run compared with another (by id or the last
 * completed one of its portfolio, else of its batch name): phases side by side, and the lines only in
 * one run or the other after normalising numbers, timestamps, hex ids and UUIDs. A manual clock gives
 * the runs known start times and phase durations.
 */
import request from 'supertest';
import { ManualClock } from '../../src/common/clock';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, EntryBody, Ingest, RUN_FIELDS, uuid } from './api-helpers';

describe('compare API', () => {
  const clock = new ManualClock(new Date('2026-01-11T02:00:00.000Z'));
  let t: TestApp;
  let admin: string;
  let ingest: Ingest;
  const portfolio = uuid();
  const lonelyPortfolio = uuid();
  const otherPortfolio = uuid();

  /** The good run's lines; the new run's differ from them only in numbers, ids, uuids and timestamps, plus its own. */
  const baseExtract: EntryBody[] = [
    { level: 'info', phase: 'extract', message: 'extract started at 2026-01-10T02:00:00.114Z' },
    { level: 'info', phase: 'extract', message: `fetched 1204 rows in 812ms from batch 3f2a9c1d7b for portfolio ${uuid()}` },
    { level: 'info', phase: 'extract', message: 'job alpha done' },
    { level: 'info', phase: 'extract', message: 'job beta done' },
  ];
  const baseLoad: EntryBody[] = [
    { level: 'info', phase: 'load', message: '\u001b[32mloading\u001b[0m 1204 rows' },
    { level: 'info', phase: 'load', message: 'vacuum done in 3.5 s' },
    { level: 'info', phase: 'load', message: 'load finished' },
  ];

  /** Starts a run, appends each phase's entries (advancing the clock a second per entry), completes each, finishes. */
  async function run(id: string, portfolioId: string | undefined, phases: Array<[string, EntryBody[], 'completed' | 'failed']>, status: string | null) {
    clock.advance(60_000);
    await ingest.start({ batch_run_id: id, portfolio_id: portfolioId, phases: phases.map(([name]) => name) });
    for (const [name, entries, phaseStatus] of phases) {
      for (const entry of entries) {
        clock.advance(1000);
        await ingest.append(id, [entry]);
      }
      clock.advance(500);
      await ingest.completePhase(id, name, { status: phaseStatus });
    }
    if (status) await ingest.finish(id, status);
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true, clock });
    admin = await bearer('admin', 'admin-1');
    ingest = new Ingest(t, await bearer('service', 'producer'));

    await run('p-old', portfolio, [['extract', baseExtract, 'completed']], 'completed');
    await run('p-base', portfolio, [['extract', baseExtract, 'completed'], ['load', baseLoad, 'completed']], 'completed');
    await run('p-failed', portfolio, [['extract', [{ level: 'error', phase: 'extract', message: 'boom' }], 'failed']], 'failed');
    await run('p-running', portfolio, [], null);
    await run('q-newer', otherPortfolio, [['extract', baseExtract, 'completed']], 'completed');
    await run(
      'p-new',
      portfolio,
      [
        [
          'extract',
          [
            { level: 'info', phase: 'extract', message: 'extract started at 2026-01-11T02:04:59.902Z' },
            { level: 'info', phase: 'extract', message: `fetched 1187 rows in  790ms from batch 8e41bb02c9 for portfolio ${uuid()}` },
            { level: 'info', phase: 'extract', message: 'job beta done' }, // parallel jobs: another order, no difference
            { level: 'info', phase: 'extract', message: 'job alpha done' },
          ],
          'completed',
        ],
        [
          'load',
          [
            { level: 'info', phase: 'load', message: 'loading 1187 rows' },
            { level: 'warning', phase: 'load', message: 'retrying 1 of 3' },
            { level: 'error', phase: 'load', message: 'connection reset by peer' },
            { level: 'warning', phase: 'load', message: 'retrying 2 of 3' },
          ],
          'failed',
        ],
        ['report', [{ level: 'info', phase: 'report', message: 'report skipped' }], 'completed'],
      ],
      'completed',
    );
    await run('solo', lonelyPortfolio, [], 'completed');

    // Runs without a portfolio: the batch name is the id normalised (nightly-import-<time>).
    await run('nightly-import-2026-01-09', undefined, [], 'completed');
    await run('nightly-import-2026-01-10', undefined, [], 'completed');
    await run('nightly-import-2026-01-10-retry', undefined, [], 'failed');
    await run('nightly-export-2026-01-11', undefined, [], 'completed'); // another batch, same prefix
    await run('nightly-import-2026-01-11x', otherPortfolio, [], 'completed'); // has a portfolio
    await run('nightly-import-2026-01-11', undefined, [], null);
    await run('adhoc-7', undefined, [], null);
    await run('3f1c9a52-8d1e-4c1a-9a57-0c6c2b1e7d42', undefined, [], 'completed');
    await run('0b7e2a1c-1111-4c1a-9a57-aaaaaaaaaaaa', undefined, [], 'completed');
  });
  afterAll(async () => t?.close());

  const compare = (id: string, query: string, authorization = admin) =>
    request(t.baseUrl).get(`/api/v1/admin/batch/history/${encodeURIComponent(id)}/compare?${query}`).set('Authorization', authorization);

  it('compares with the last completed run of the portfolio: not itself, not a failed or running one, not another portfolio', async () => {
    const res = await compare('p-new', 'with=last_completed');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['normalisation', 'only_in_other', 'only_in_run', 'other', 'phases', 'run', 'truncated']);
    expect(res.body.run.batch_run_id).toBe('p-new');
    expect(res.body.other.batch_run_id).toBe('p-base');
    for (const field of RUN_FIELDS) expect(res.body.other).toHaveProperty(field);
    expect(res.body.normalisation).toEqual(['ansi', 'uuid', 'timestamp', 'hex_id', 'number', 'whitespace']);

    // the newest completed run of p-base's portfolio other than p-base is p-new
    expect((await compare('p-base', 'with=last_completed')).body.other.batch_run_id).toBe('p-new');
    // a failed run is compared with the last completed one too
    expect((await compare('p-failed', 'with=last_completed')).body.other.batch_run_id).toBe('p-new');
  });

  it('reports the lines only in one run or the other, in seq order, and not those that differ only in numbers, ids, uuids and timestamps', async () => {
    const res = await compare('p-new', 'with=last_completed');
    const lines = (list: Array<{ seq: number; level: string; phase: string; message: string }>) => list.map((l) => [l.seq, l.level, l.phase, l.message]);
    expect(lines(res.body.only_in_run)).toEqual([
      [6, 'warning', 'load', 'retrying 1 of 3'],
      [7, 'error', 'load', 'connection reset by peer'],
      [8, 'warning', 'load', 'retrying 2 of 3'],
      [9, 'info', 'report', 'report skipped'],
    ]);
    expect(lines(res.body.only_in_other)).toEqual([
      [6, 'info', 'load', 'vacuum done in 3.5 s'],
      [7, 'info', 'load', 'load finished'],
    ]);
    expect(res.body.only_in_run[0].timestamp).toMatch(/^2026-01-11T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(res.body.truncated).toBe(false);

    // the other way round: the lists swap
    const back = await compare('p-base', 'with=p-new');
    expect(lines(back.body.only_in_run)).toEqual(lines(res.body.only_in_other));
    expect(lines(back.body.only_in_other)).toEqual(lines(res.body.only_in_run));
  });

  it('shows the phases side by side: status, duration and entry count, the run\'s then the other\'s', async () => {
    const res = await compare('p-new', 'with=p-base');
    expect(res.body.phases).toEqual([
      { name: 'extract', run: { status: 'completed', duration_ms: 3500, entry_count: 4 }, other: { status: 'completed', duration_ms: 3500, entry_count: 4 } },
      { name: 'load', run: { status: 'failed', duration_ms: 3500, entry_count: 4 }, other: { status: 'completed', duration_ms: 2500, entry_count: 3 } },
      { name: 'report', run: { status: 'completed', duration_ms: 500, entry_count: 1 }, other: null },
    ]);
    const withFailed = await compare('p-base', 'with=p-failed');
    expect(withFailed.body.phases).toEqual([
      { name: 'extract', run: { status: 'completed', duration_ms: 3500, entry_count: 4 }, other: { status: 'failed', duration_ms: 500, entry_count: 1 } },
      { name: 'load', run: { status: 'completed', duration_ms: 2500, entry_count: 3 }, other: null },
    ]);
    const withRunning = await compare('p-running', 'with=p-old');
    expect(withRunning.body.phases).toEqual([{ name: 'extract', run: null, other: { status: 'completed', duration_ms: 3500, entry_count: 4 } }]);
  });

  it('without a portfolio, compares with the last completed run of the same batch name', async () => {
    const res = await compare('nightly-import-2026-01-11', 'with=last_completed');
    expect(res.status).toBe(200);
    expect(res.body.other.batch_run_id).toBe('nightly-import-2026-01-10');
    expect((await compare('nightly-import-2026-01-10', 'with=last_completed')).body.other.batch_run_id).toBe('nightly-import-2026-01-09');
  });

  it.each([
    ['solo', 'portfolio'], // the only run of its portfolio
    ['adhoc-7', 'adhoc-<n>'], // no other run of its batch
    ['3f1c9a52-8d1e-4c1a-9a57-0c6c2b1e7d42', 'names none'], // a bare uuid names no batch, though another bare-uuid run is completed
  ])('404 no_comparable_run when last_completed finds none (%s)', async (id, said) => {
    const res = await compare(id, 'with=last_completed');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'no_comparable_run', field: 'with' });
    expect(res.body.message).toContain(said);
  });

  it('cuts each list at limit and says truncated', async () => {
    const res = await compare('p-new', 'with=p-base&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.only_in_run.map((l: { seq: number }) => l.seq)).toEqual([6, 7]);
    expect(res.body.only_in_other).toHaveLength(2); // not cut: exactly limit
    expect(res.body.truncated).toBe(true);
    expect((await compare('p-new', 'with=p-base&limit=4')).body.truncated).toBe(false);
    expect((await compare('p-new', 'with=p-base&limit=1000')).status).toBe(200);
  });

  it('compares logs larger than a page of the reader (2,000 entries) line by line', async () => {
    const lines = (n: number, extra: string[]): EntryBody[] => [
      ...Array.from({ length: n }, (_, i) => ({ level: 'info', phase: 'bulk', message: `row ${i} of item-${i % 50} ok` })),
      ...extra.map((message) => ({ level: 'error', phase: 'bulk', message })),
    ];
    for (const [id, entries] of [
      ['big-a', lines(4500, ['only in a'])],
      ['big-b', lines(4500, ['only in b', 'only in b'])],
    ] as const) {
      await ingest.start({ batch_run_id: id, phases: ['bulk'] });
      for (let i = 0; i < entries.length; i += 1000) await ingest.append(id, entries.slice(i, i + 1000));
      await ingest.finish(id, 'completed');
    }
    const res = await compare('big-a', 'with=big-b');
    expect(res.status).toBe(200);
    expect(res.body.only_in_run.map((l: { seq: number; message: string }) => [l.seq, l.message])).toEqual([[4501, 'only in a']]);
    expect(res.body.only_in_other.map((l: { seq: number }) => l.seq)).toEqual([4501, 4502]);
    expect(res.body.phases[0]).toMatchObject({ name: 'bulk', run: { entry_count: 4501 }, other: { entry_count: 4502 } });
  });

  it('404 run_not_found for either id', async () => {
    for (const [id, query] of [
      ['no-such-run', 'with=p-base'],
      ['no-such-run', 'with=last_completed'],
      ['p-base', 'with=no-such-run'],
    ]) {
      const res = await compare(id, query);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'run_not_found' });
      expect(res.body.message).toContain('no-such-run');
    }
  });

  it.each([
    ['', 'with'],
    ['with=', 'with'],
    ['with=not%20an%20id!', 'with'],
    ['with=p-base&limit=0', 'limit'],
    ['with=p-base&limit=1001', 'limit'],
    ['with=p-base&limit=2x', 'limit'],
    ['with=p-base&limit=-1', 'limit'],
    ['with=p-base&colour=red', 'colour'],
  ])('400 for "%s", naming %s', async (query, field) => {
    const res = await compare('p-new', query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(JSON.stringify(res.body.message)).toContain(field);
  });

  it('403 for a token without the admin role, 401 without a token', async () => {
    for (const role of ['service', 'user'] as const) {
      const res = await compare('p-new', 'with=p-base', await bearer(role, `${role}-x`));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await request(t.baseUrl).get('/api/v1/admin/batch/history/p-new/compare?with=p-base')).status).toBe(401);
  });
});
