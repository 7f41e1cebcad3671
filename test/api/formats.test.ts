/**
 * The download formats (JSON, TXT, NDJSON) on the owner's and the admin's route: headers, exact
 * bodies, multi-line and hostile messages in TXT, empty runs, the run's real status, and the same log
 * served from memory, from the snapshot and from the entry table (a second instance has no cache).
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, download, EntryBody, Ingest, RUN_FIELDS, STARTS_WITH_TIMESTAMP, TXT_ENTRY_LINE, uuid } from './api-helpers';

const RUN_ID = 'fmt:run.1';
const FILE_ID = 'fmt_run.1'; // ':' is not kept in the file name
const ENTRIES: Array<Required<Omit<EntryBody, 'seq'>>> = [
  { level: 'info', phase: 'extract', timestamp: '2026-01-11T14:07:11.123Z', message: 'Starting extract' },
  { level: 'warning', phase: 'extract', timestamp: '2026-01-11T14:07:12.000Z', message: 'line one\nline two\r\nline three' },
  { level: 'error', phase: 'load', timestamp: '2026-01-11T14:07:13.450Z', message: 'bad row\n2026-01-01T00:00:00.000Z ERROR fake' },
  { level: 'info', phase: 'load', timestamp: '2026-01-11T14:07:14.999Z', message: 'Unicode 🚀 مرحبا שלום 数据' },
  { level: 'info', phase: 'load', timestamp: '2026-01-11T14:07:15.001Z', message: 'ansi \u001b[31mred\u001b[0m and sep\u2028after' },
];
const EXPECTED_TXT_LINES = [
  '2026-01-11T14:07:11.123Z INFO [extract] Starting extract',
  '2026-01-11T14:07:12.000Z WARNING [extract] line one',
  '    line two',
  '    line three',
  '2026-01-11T14:07:13.450Z ERROR [load] bad row',
  '    2026-01-01T00:00:00.000Z ERROR fake',
  '2026-01-11T14:07:14.999Z INFO [load] Unicode 🚀 مرحبا שלום 数据',
  '2026-01-11T14:07:15.001Z INFO [load] ansi red and sep', // ansi=strip, the default
  '    after',
  '-- entries 1-5 of 5, complete',
];

describe('download formats', () => {
  let t: TestApp;
  let admin: string;
  let owner: string;
  let ingest: Ingest;
  const portfolio = uuid();

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    admin = await bearer('admin', 'admin-1');
    owner = await bearer('user', 'olga');
    ingest = new Ingest(t, await bearer('service', 'producer'));
    await ingest.start({ batch_run_id: RUN_ID, portfolio_id: portfolio, owner_id: 'olga', total_jobs: 3, phases: ['extract', 'load'] });
    await ingest.append(RUN_ID, ENTRIES);
    await ingest.completePhase(RUN_ID, 'extract', { completed_jobs: 2 });
    await ingest.completePhase(RUN_ID, 'load', { completed_jobs: 0, failed_jobs: 1, status: 'failed' });
    await ingest.finish(RUN_ID, 'failed');
  });
  afterAll(async () => t?.close());

  const adminLogs = (app: TestApp, id: string, format: string) => download(app, `/api/v1/admin/batch/history/${encodeURIComponent(id)}/logs?format=${format}`, admin);
  const ownerLogs = (app: TestApp, format: string, query = '') => download(app, `/api/v1/onboarding/status/${portfolio}/logs?format=${format}${query}`, owner);
  const routes: Array<[string, (app: TestApp, format: string) => request.Test]> = [
    ['admin route', (app, format) => adminLogs(app, RUN_ID, format)],
    ['owner route', (app, format) => ownerLogs(app, format)],
  ];

  describe.each(routes)('%s', (_, fetch) => {
    it.each([
      ['json', 'application/json; charset=utf-8'],
      ['txt', 'text/plain; charset=utf-8'],
      ['ndjson', 'application/x-ndjson; charset=utf-8'],
    ])('%s: Content-Type %s and an attachment named <id>_logs.<ext>', async (format, type) => {
      const res = await fetch(t, format);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${FILE_ID}_logs.${format}"`);
    });

    it('json: the run, entry_count, source, and the entries in seq order, exactly', async () => {
      const body = JSON.parse((await fetch(t, 'json')).body);
      expect(Object.keys(body)).toEqual(expect.arrayContaining([...RUN_FIELDS, 'entry_count', 'source', 'entries']));
      expect(body).toMatchObject({
        batch_run_id: RUN_ID,
        portfolio_id: portfolio,
        owner_id: 'olga',
        status: 'failed',
        total_jobs: 3,
        completed_jobs: 2,
        failed_jobs: 1,
        entry_count: 5,
        source: 'memory',
      });
      expect(body.entries).toEqual(ENTRIES.map((e, i) => ({ seq: i + 1, timestamp: e.timestamp, level: e.level, phase: e.phase, message: e.message })));
      body.entries.forEach((e: object) => expect(Object.keys(e)).toEqual(['seq', 'timestamp', 'level', 'phase', 'message']));
    });

    it('txt: the header with the run\'s metadata, then one line per entry, further lines indented', async () => {
      const text: string = (await fetch(t, 'txt')).body;
      const [header, body] = text.split(`${'-'.repeat(72)}\n`);
      const started = JSON.parse((await adminLogs(t, RUN_ID, 'json')).body);
      expect(header.split('\n')).toEqual([
        `Batch run:   ${RUN_ID}`,
        `Portfolio:   ${portfolio}`,
        'Owner:       olga',
        'Status:      failed',
        `Started:     ${started.started_at}`,
        `Completed:   ${started.completed_at}`,
        'Jobs:        3 total, 2 completed, 1 failed',
        'Entries:     5',
        'Source:      memory',
        '',
      ]);
      expect(body.endsWith('\n')).toBe(true);
      expect(body.slice(0, -1).split('\n')).toEqual(EXPECTED_TXT_LINES);
    });

    it('txt: a message cannot forge an entry line: only real entries start with a timestamp', async () => {
      const lines = (await fetch(t, 'txt')).body.split('\n');
      const stamped = lines.filter((l: string) => STARTS_WITH_TIMESTAMP.test(l));
      expect(stamped).toHaveLength(ENTRIES.length);
      stamped.forEach((l: string) => expect(l).toMatch(TXT_ENTRY_LINE));
      expect(lines).toContain('    2026-01-01T00:00:00.000Z ERROR fake');
      expect(lines.some((l: string) => l.startsWith('2026-01-01T00:00:00.000Z'))).toBe(false);
      expect(lines.join('\n')).not.toContain('\u001b'); // escape sequences are shown, not sent to a terminal
    });

    it('ndjson: one JSON entry per line, in seq order', async () => {
      const body: string = (await fetch(t, 'ndjson')).body;
      expect(body.endsWith('\n')).toBe(true);
      const lines = body.slice(0, -1).split('\n');
      expect(lines).toHaveLength(ENTRIES.length);
      expect(lines.map((l) => JSON.parse(l))).toEqual(ENTRIES.map((e, i) => ({ seq: i + 1, ...e })));
    });
  });

  describe('a run with no entries', () => {
    const emptyPortfolio = uuid();
    beforeAll(async () => {
      await ingest.start({ batch_run_id: 'empty-run', portfolio_id: emptyPortfolio, owner_id: 'olga' });
    });

    it.each([
      ['admin', (f: string) => adminLogs(t, 'empty-run', f)],
      ['owner', (f: string) => download(t, `/api/v1/onboarding/status/${emptyPortfolio}/logs?format=${f}`, owner)],
    ])('%s route: 200 with an empty list in every format, TXT says so under its header', async (_, fetch) => {
      const json = await fetch('json');
      expect(json.status).toBe(200);
      expect(JSON.parse(json.body)).toMatchObject({ batch_run_id: 'empty-run', status: 'running', entries: [], entry_count: 0 });
      const txt = await fetch('txt');
      expect(txt.status).toBe(200);
      expect(txt.body).toContain('Batch run:   empty-run\n');
      expect(txt.body).toContain('Entries:     0\n');
      expect(txt.body.endsWith(`${'-'.repeat(72)}\nNo activity log entries available\n-- no entries of 0, complete\n`)).toBe(true);
      const nd = await fetch('ndjson');
      expect(nd.status).toBe(200);
      expect(nd.body).toBe('');
    });
  });

  it('an entry without a phase is shown without brackets', async () => {
    const id = await ingest.start();
    await ingest.append(id, [{ level: 'warning', message: 'no phase here', timestamp: '2026-02-03T04:05:06.007Z' }]);
    const txt = await adminLogs(t, id, 'txt');
    expect(txt.body).toContain('\n2026-02-03T04:05:06.007Z WARNING no phase here\n');
    expect(JSON.parse((await adminLogs(t, id, 'json')).body).entries[0].phase).toBeNull();
  });

  describe('from the database (a second instance, with no cache)', () => {
    let second: TestApp;
    let memory: { json: string; ndjson: string; txtBody: string };
    const txtBody = (text: string) => text.split(`${'-'.repeat(72)}\n`)[1];

    beforeAll(async () => {
      // A running run with no snapshot yet, and one whose snapshot is followed by later entries.
      await ingest.start({ batch_run_id: 'db-entries', phases: ['a'] });
      await ingest.append('db-entries', ENTRIES.slice(0, 2));
      await ingest.start({ batch_run_id: 'db-mixed', phases: ['a', 'b'] });
      await ingest.append('db-mixed', ENTRIES.slice(0, 3));
      await ingest.completePhase('db-mixed', 'a'); // snapshot up to seq 3
      await ingest.append('db-mixed', ENTRIES.slice(3));
      const json = JSON.parse((await adminLogs(t, RUN_ID, 'json')).body);
      memory = { json: JSON.stringify(json.entries), ndjson: (await adminLogs(t, RUN_ID, 'ndjson')).body, txtBody: txtBody((await adminLogs(t, RUN_ID, 'txt')).body) };
      second = await startTestApp({ db: t.db, listen: true });
    });
    afterAll(async () => second?.close());

    it('a finished run comes from the snapshot, with the same entries, bytes and real status', async () => {
      const json = JSON.parse((await adminLogs(second, RUN_ID, 'json')).body);
      expect(json).toMatchObject({ source: 'snapshot', status: 'failed', entry_count: 5 });
      expect(JSON.stringify(json.entries)).toBe(memory.json);
      expect((await adminLogs(second, RUN_ID, 'ndjson')).body).toBe(memory.ndjson);
      const txt = (await adminLogs(second, RUN_ID, 'txt')).body;
      expect(txt).toContain('Source:      snapshot\n');
      expect(txt).toContain('Status:      failed\n');
      expect(txtBody(txt)).toBe(memory.txtBody);
      const viaOwner = JSON.parse((await ownerLogs(second, 'json')).body);
      expect(viaOwner).toMatchObject({ batch_run_id: RUN_ID, source: 'snapshot', entry_count: 5 });
    });

    it('a run without a snapshot comes from the entry table', async () => {
      const json = JSON.parse((await adminLogs(second, 'db-entries', 'json')).body);
      expect(json).toMatchObject({ source: 'entries', status: 'running', entry_count: 2 });
      expect(json.entries.map((e: { message: string }) => e.message)).toEqual(ENTRIES.slice(0, 2).map((e) => e.message));
    });

    it('a snapshot followed by later entries is served whole, in seq order', async () => {
      const fromDb = JSON.parse((await adminLogs(second, 'db-mixed', 'json')).body);
      const fromMemory = JSON.parse((await adminLogs(t, 'db-mixed', 'json')).body);
      expect(fromDb.source).toBe('snapshot');
      expect(fromMemory.source).toBe('memory');
      expect(fromDb.entries).toEqual(fromMemory.entries);
      expect(fromDb.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      const nd = (await adminLogs(second, 'db-mixed', 'ndjson')).body;
      expect(nd).toBe((await adminLogs(t, 'db-mixed', 'ndjson')).body);
    });
  });
});
