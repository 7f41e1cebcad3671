/**
 * Ingestion over HTTP (role service or admin), against the real app and PostgreSQL: starting runs,
 * appending log entries (limits, Unicode, idempotent retries, seq gaps, all-or-nothing), completing
 * phases and finishing runs, with the status code and body of every outcome.
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, entryCount, GENERATED_ID, Ingest, ISO_MS_UTC, RUN_FIELDS, uuid } from './api-helpers';

describe('ingestion API', () => {
  let t: TestApp;
  let service: string;
  let admin: string;
  let ingest: Ingest;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    service = await bearer('service', 'producer-1');
    admin = await bearer('admin', 'admin-1');
    ingest = new Ingest(t, service);
  });
  afterAll(async () => t?.close());

  const post = (path: string, body: unknown, authorization = service) =>
    request(t.baseUrl).post(path).set('Authorization', authorization).send(body as object);
  const logs = (id: string) => `/api/v1/batch/runs/${encodeURIComponent(id)}/logs`;
  const details = (id: string) => request(t.baseUrl).get(`/api/v1/admin/batch/history/${encodeURIComponent(id)}`).set('Authorization', admin);
  const count = (id: string) => entryCount(t, id, admin);
  const entriesOf = async (id: string) => {
    const res = await request(t.baseUrl).get(`/api/v1/admin/batch/history/${encodeURIComponent(id)}/logs?format=json`).set('Authorization', admin);
    expect(res.status).toBe(200);
    return res.body.entries as Array<{ seq: number; timestamp: string; level: string; phase: string | null; message: string }>;
  };
  /** A 400 from validation names the field in one of its messages. */
  const expectFieldError = (res: request.Response, field: string) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const messages: string[] = Array.isArray(res.body.message) ? res.body.message : [res.body.message];
    expect(messages.some((m) => m.includes(field))).toBe(true);
  };

  describe('POST /api/v1/batch/runs', () => {
    it('starts a run with a generated id batch_YYYYMMDD_HHMMSS_xxxx: 201 {batch_run_id, status, started_at}', async () => {
      const res = await post('/api/v1/batch/runs', {});
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(res.body).sort()).toEqual(['batch_run_id', 'started_at', 'status']);
      expect(res.body.status).toBe('running');
      expect(res.body.started_at).toMatch(ISO_MS_UTC);
      const [, day, time] = GENERATED_ID.exec(res.body.batch_run_id) ?? [];
      expect(day).toBeDefined();
      // The id's stamp is the start time (UTC, to the second): at most a second boundary apart.
      const stamp = Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}Z`);
      expect(Math.abs(Date.parse(res.body.started_at) - stamp)).toBeLessThan(2000);
    });

    it('generates a different id for each run', async () => {
      const ids = await Promise.all(Array.from({ length: 10 }, () => ingest.start()));
      expect(new Set(ids).size).toBe(10);
      ids.forEach((id) => expect(id).toMatch(GENERATED_ID));
    });

    it('takes every optional field, and the run shows them', async () => {
      const portfolio = uuid();
      const res = await post('/api/v1/batch/runs', {
        batch_run_id: 'nightly.import:2026-01-11_v2',
        portfolio_id: portfolio,
        owner_id: 'user-42',
        total_jobs: 7,
        phases: ['extract', 'transform', 'load'],
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ batch_run_id: 'nightly.import:2026-01-11_v2', status: 'running', started_at: expect.stringMatching(ISO_MS_UTC) });
      const run = await details('nightly.import:2026-01-11_v2');
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({
        batch_run_id: 'nightly.import:2026-01-11_v2',
        portfolio_id: portfolio,
        owner_id: 'user-42',
        status: 'running',
        started_at: res.body.started_at,
        completed_at: null,
        total_jobs: 7,
        completed_jobs: 0,
        failed_jobs: 0,
        log_entry_count: 0,
      });
      expect(run.body.phases.map((p: { name: string }) => p.name)).toEqual(['extract', 'transform', 'load']);
    });

    it('accepts an id of exactly 128 characters', async () => {
      const id = 'a'.repeat(128);
      expect((await post('/api/v1/batch/runs', { batch_run_id: id })).status).toBe(201);
    });

    it('answers 409 for an existing id, with the rule code, and leaves the first run as it was', async () => {
      await ingest.start({ batch_run_id: 'dup-run', total_jobs: 3 });
      const res = await post('/api/v1/batch/runs', { batch_run_id: 'dup-run', total_jobs: 9 });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'run_exists' });
      expect((await details('dup-run')).body.total_jobs).toBe(3);
    });

    it.each([
      ['with a space', 'has space'],
      ['with a slash', 'a/b'],
      ['empty', ''],
      ['129 characters', 'x'.repeat(129)],
      ['with a quote', 'run"1'],
      ['a number', 12345],
    ])('rejects a batch_run_id %s: 400 naming batch_run_id', async (_, id) => {
      expectFieldError(await post('/api/v1/batch/runs', { batch_run_id: id }), 'batch_run_id');
    });

    it.each([['not-a-uuid'], ['12345678-1234-1234-1234-1234567890'], [42]])('rejects portfolio_id %p: 400 naming portfolio_id, nothing stored', async (portfolio) => {
      const res = await post('/api/v1/batch/runs', { batch_run_id: 'bad-portfolio', portfolio_id: portfolio });
      expectFieldError(res, 'portfolio_id');
      expect((await details('bad-portfolio')).status).toBe(404);
    });

    it('rejects an unknown field: 400 naming it', async () => {
      const res = await post('/api/v1/batch/runs', { batch_run_id: 'unknown-field', colour: 'blue' });
      expectFieldError(res, 'colour');
      expect(res.body.message).toContain('property colour should not exist');
      expect((await details('unknown-field')).status).toBe(404);
    });

    it.each([
      ['total_jobs as a string', { total_jobs: '12' }, 'total_jobs'],
      ['negative total_jobs', { total_jobs: -1 }, 'total_jobs'],
      ['fractional total_jobs', { total_jobs: 1.5 }, 'total_jobs'],
      ['phases not an array', { phases: 'load' }, 'phases'],
      ['an empty phase name', { phases: ['a', ''] }, 'phases'],
      ['owner_id not a string', { owner_id: 7 }, 'owner_id'],
    ])('rejects %s: 400 naming the field', async (_, body, field) => {
      expectFieldError(await post('/api/v1/batch/runs', body), field);
    });

    it('rejects duplicate phase names as a rule error (400 with code), storing nothing', async () => {
      const res = await post('/api/v1/batch/runs', { batch_run_id: 'dup-phases', phases: ['a', 'a'] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_input', field: 'phases' });
      expect((await details('dup-phases')).status).toBe(404);
    });

    it('answers a body that is not JSON with 415 instead of ignoring it (curl -d sends a form)', async () => {
      const before = (await request(t.baseUrl).get('/api/v1/admin/batch/history?limit=200').set('Authorization', admin)).body.runs.length;
      const form = await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', service).type('form').send('batch_run_id=form-run');
      expect(form.status).toBe(415);
      expect(form.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      const text = await request(t.baseUrl)
        .post('/api/v1/batch/runs')
        .set('Authorization', service)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ batch_run_id: 'text-run' }));
      expect(text.status).toBe(415);
      const id = await ingest.start();
      const logsAsText = await request(t.baseUrl).post(logs(id)).set('Authorization', service).set('Content-Type', 'text/plain').send('{"entries":[]}');
      expect(logsAsText.status).toBe(415);
      expect((await details('form-run')).status).toBe(404);
      expect((await details('text-run')).status).toBe(404);
      const after = (await request(t.baseUrl).get('/api/v1/admin/batch/history?limit=200').set('Authorization', admin)).body.runs.length;
      expect(after).toBe(before + 1);
      // The token is checked first.
      expect((await request(t.baseUrl).post('/api/v1/batch/runs').set('Content-Type', 'text/plain').send('x')).status).toBe(401);
    });

    it('a request with no body at all starts a run with a generated id; a charset parameter is fine', async () => {
      const bare = await request(t.baseUrl).post('/api/v1/batch/runs').set('Authorization', service);
      expect(bare.status).toBe(201);
      expect(bare.body.batch_run_id).toMatch(GENERATED_ID);
      const charset = await request(t.baseUrl)
        .post('/api/v1/batch/runs')
        .set('Authorization', service)
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ batch_run_id: 'with-charset' }));
      expect(charset.status).toBe(201);
      expect(charset.body.batch_run_id).toBe('with-charset');
    });

    it('answers malformed JSON with 400 (JSON body), not 500', async () => {
      const res = await request(t.baseUrl)
        .post('/api/v1/batch/runs')
        .set('Authorization', service)
        .set('Content-Type', 'application/json')
        .send('{"batch_run_id": "x",');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });
  });

  describe('POST /api/v1/batch/runs/:batchRunId/logs', () => {
    it('appends entries: 201 {appended, last_seq}, stored in order with their fields', async () => {
      const id = await ingest.start({ phases: ['extract', 'load'] });
      const res = await post(logs(id), {
        entries: [
          { level: 'info', message: 'first', timestamp: '2026-01-11T14:07:11.123Z', phase: 'extract' },
          { level: 'warning', message: 'second', timestamp: '2026-01-11T15:07:11+01:00' },
          { level: 'error', message: 'third', phase: 'load' },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ appended: 3, last_seq: 3 });
      const more = await post(logs(id), { entries: [{ level: 'info', message: 'fourth' }] });
      expect(more.body).toEqual({ appended: 1, last_seq: 4 });
      const entries = await entriesOf(id);
      expect(entries.map((e) => [e.seq, e.level, e.message])).toEqual([
        [1, 'info', 'first'],
        [2, 'warning', 'second'],
        [3, 'error', 'third'],
        [4, 'info', 'fourth'],
      ]);
      expect(entries[0]).toMatchObject({ timestamp: '2026-01-11T14:07:11.123Z', phase: 'extract' });
      expect(entries[1].timestamp).toBe('2026-01-11T14:07:11.000Z'); // offsets are normalised to UTC
      expect(entries[2].phase).toBe('load');
      entries.forEach((e) => expect(e.timestamp).toMatch(ISO_MS_UTC));
    });

    it('accepts 1000 entries in one request', async () => {
      const id = await ingest.start();
      const entries = Array.from({ length: 1000 }, (_, i) => ({ level: 'info', message: `line ${i + 1}` }));
      const res = await post(logs(id), { entries });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ appended: 1000, last_seq: 1000 });
      expect(await count(id)).toBe(1000);
    });

    it('rejects 1001 entries (400 naming entries) and stores none of them', async () => {
      const id = await ingest.start();
      const entries = Array.from({ length: 1001 }, (_, i) => ({ level: 'info', message: `line ${i + 1}` }));
      const res = await post(logs(id), { entries });
      expectFieldError(res, 'entries');
      expect(await count(id)).toBe(0);
    });

    it.each([
      ['no entries field', {}],
      ['an empty list', { entries: [] }],
      ['entries not a list', { entries: { level: 'info', message: 'x' } }],
    ])('rejects %s: 400 naming entries', async (_, body) => {
      const id = await ingest.start();
      expectFieldError(await post(logs(id), body), 'entries');
    });

    it('accepts a message of 65536 characters and rejects 65537 (400 naming entries.0.message), storing nothing', async () => {
      const id = await ingest.start();
      const longest = 'm'.repeat(65536);
      expect((await post(logs(id), { entries: [{ level: 'info', message: longest }] })).status).toBe(201);
      const res = await post(logs(id), { entries: [{ level: 'info', message: 'ok' }, { level: 'info', message: 'm'.repeat(65537) }] });
      expectFieldError(res, 'entries.1.message');
      expect(await count(id)).toBe(1);
      expect((await entriesOf(id))[0].message).toBe(longest);
    });

    it('rejects an empty message: 400 naming entries.0.message', async () => {
      const id = await ingest.start();
      expectFieldError(await post(logs(id), { entries: [{ level: 'info', message: '' }] }), 'entries.0.message');
    });

    it('stores any Unicode as sent: emoji, ZWJ sequences, RTL, combining marks, CJK, astral characters', async () => {
      const id = await ingest.start();
      const messages = [
        'Deploy done 🚀🎉 — 👩‍👩‍👧‍👦 family, 🏳️‍🌈 flag, 👍🏽 tone',
        'مرحبا بالعالم: تم تحميل 42 سجلاً',
        'שלום עולם — הייבוא הסתיים',
        'mixed ‏RTL‎ marks ‮override‬ and ‪embedding‬',
        'Zürich café naïve Å (combining: e\u0301 a\u0308)',
        '数据导入完成：共 1,024 行；東京 서울',
        '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 𓀀 🜁',
        'tab\tand "quotes" and \\backslash and </script>',
        // 32768 emoji: 65536 UTF-16 code units, the most a message may hold.
        '😀'.repeat(32768),
      ];
      const res = await post(logs(id), { entries: messages.map((message) => ({ level: 'info', message })) });
      expect(res.status).toBe(201);
      expect(res.body.appended).toBe(messages.length);
      expect((await entriesOf(id)).map((e) => e.message)).toEqual(messages);
    });

    it('rejects a NUL character as a rule error (400 with code and field), storing nothing', async () => {
      const id = await ingest.start();
      const res = await post(logs(id), { entries: [{ level: 'info', message: 'ok' }, { level: 'info', message: 'a\u0000b' }] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_input', field: 'entries[1].message' });
      expect(await count(id)).toBe(0);
    });

    it('is idempotent with seq: a retry counts only entries not stored yet', async () => {
      const id = await ingest.start();
      const e = (seq: number) => ({ level: 'info', message: `line ${seq}`, seq });
      expect((await post(logs(id), { entries: [e(1), e(2)] })).body).toEqual({ appended: 2, last_seq: 2 });
      // The producer did not see the answer and retries, with one more entry.
      const retry = await post(logs(id), { entries: [e(1), e(2), e(3)] });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ appended: 1, last_seq: 3 });
      // A retry of what is all stored: 201, nothing appended.
      expect((await post(logs(id), { entries: [e(3)] })).body).toEqual({ appended: 0, last_seq: 3 });
      expect(await count(id)).toBe(3);
      expect((await entriesOf(id)).map((x) => x.message)).toEqual(['line 1', 'line 2', 'line 3']);
    });

    it('answers a seq gap with 409 (code seq_gap) and stores nothing of the request', async () => {
      const id = await ingest.start();
      await post(logs(id), { entries: [{ level: 'info', message: 'a', seq: 1 }] });
      const res = await post(logs(id), { entries: [{ level: 'info', message: 'b', seq: 2 }, { level: 'info', message: 'd', seq: 4 }] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'seq_gap' });
      expect(await count(id)).toBe(1);
    });

    it.each([
      ['seq 0', { seq: 0 }, 'entries.0.seq'],
      ['seq as a string', { seq: '1' }, 'entries.0.seq'],
      ['a bad timestamp', { timestamp: 'yesterday' }, 'entries.0.timestamp'],
      ['an empty phase', { phase: '' }, 'entries.0.phase'],
      ['an unknown field in an entry', { colour: 'red' }, 'colour'],
    ])('rejects %s: 400 naming the field', async (_, extra, field) => {
      const id = await ingest.start();
      expectFieldError(await post(logs(id), { entries: [{ level: 'info', message: 'x', ...extra }] }), field);
      expect(await count(id)).toBe(0);
    });

    it('rejects a bad level: 400 naming entries.N.level; the valid entries of that request are not stored', async () => {
      const id = await ingest.start();
      const first = await post(logs(id), { entries: [{ level: 'debug', message: 'x' }] });
      expectFieldError(first, 'entries.0.level');
      const mixed = await post(logs(id), {
        entries: [
          { level: 'info', message: 'fine' },
          { level: 'info', message: 'fine too' },
          { level: 'FATAL', message: 'no' },
        ],
      });
      expectFieldError(mixed, 'entries.2.level');
      expect(await count(id)).toBe(0);
      expect(await entriesOf(id)).toEqual([]);
    });

    it('answers 404 (code run_not_found) for an unknown run, and creates nothing', async () => {
      const res = await post(logs('no-such-run'), { entries: [{ level: 'info', message: 'x' }] });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'run_not_found' });
      expect((await details('no-such-run')).status).toBe(404);
    });

    it('answers 409 (code run_finished) for a finished run, and stores nothing', async () => {
      const id = await ingest.start();
      await ingest.append(id, [{ level: 'info', message: 'before' }]);
      await ingest.finish(id, 'completed');
      const res = await post(logs(id), { entries: [{ level: 'info', message: 'after' }] });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'run_finished' });
      expect(await count(id)).toBe(1);
    });

    it('answers 400 naming batchRunId for a path id that cannot be one', async () => {
      const res = await post(`/api/v1/batch/runs/${encodeURIComponent('bad id!')}/logs`, { entries: [{ level: 'info', message: 'x' }] });
      expectFieldError(res, 'batchRunId');
    });
  });

  describe('POST /api/v1/batch/runs/:batchRunId/phases/:phase/complete', () => {
    it('completes a phase: 200 with the run', async () => {
      const portfolio = uuid();
      const id = await ingest.start({ portfolio_id: portfolio, owner_id: 'u-1', total_jobs: 4, phases: ['Phase 1: Extract', 'Phase 2: Load'] });
      const res = await post(`/api/v1/batch/runs/${id}/phases/${encodeURIComponent('Phase 1: Extract')}/complete`, { completed_jobs: 2, failed_jobs: 1 });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(expect.arrayContaining([...RUN_FIELDS]));
      expect(res.body).toMatchObject({
        batch_run_id: id,
        portfolio_id: portfolio,
        owner_id: 'u-1',
        status: 'running',
        completed_at: null,
        total_jobs: 4,
        completed_jobs: 2,
        failed_jobs: 1,
      });
      const phases = (await details(id)).body.phases;
      expect(phases[0]).toMatchObject({ name: 'Phase 1: Extract', status: 'completed', completed_jobs: 2, failed_jobs: 1 });
      expect(phases[0].completed_at).toMatch(ISO_MS_UTC);
    });

    it('records a failed phase; the same completion again is 200, another status 409', async () => {
      const id = await ingest.start({ phases: ['load'] });
      const failed = await post(`/api/v1/batch/runs/${id}/phases/load/complete`, { status: 'failed', failed_jobs: 1 });
      expect(failed.status).toBe(200);
      expect((await details(id)).body.phases[0]).toMatchObject({ name: 'load', status: 'failed', failed_jobs: 1 });
      expect((await post(`/api/v1/batch/runs/${id}/phases/load/complete`, { status: 'failed', failed_jobs: 1 })).status).toBe(200);
      const conflict = await post(`/api/v1/batch/runs/${id}/phases/load/complete`, { status: 'completed' });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ code: 'phase_completed' });
    });

    it.each([
      ['status skipped', { status: 'skipped' }, 'status'],
      ['negative completed_jobs', { completed_jobs: -1 }, 'completed_jobs'],
      ['failed_jobs as a string', { failed_jobs: '1' }, 'failed_jobs'],
      ['an unknown field', { note: 'x' }, 'note'],
    ])('rejects %s: 400 naming the field', async (_, body, field) => {
      const id = await ingest.start({ phases: ['load'] });
      expectFieldError(await post(`/api/v1/batch/runs/${id}/phases/load/complete`, body), field);
      expect((await details(id)).body.phases[0].status).not.toBe('completed');
    });

    it('answers 404 for an unknown run and 409 for a finished one', async () => {
      expect((await post('/api/v1/batch/runs/nope-run/phases/load/complete', {})).status).toBe(404);
      const id = await ingest.start({ phases: ['load'] });
      await ingest.finish(id, 'failed');
      const res = await post(`/api/v1/batch/runs/${id}/phases/load/complete`, {});
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('run_finished');
    });
  });

  describe('POST /api/v1/batch/runs/:batchRunId/finish', () => {
    it.each(['completed', 'failed', 'partial'])('finishes a run as %s: 200 with the run', async (status) => {
      const id = await ingest.start({ total_jobs: 3, phases: ['a'] });
      await ingest.completePhase(id, 'a', { completed_jobs: 2, failed_jobs: 1 });
      const res = await post(`/api/v1/batch/runs/${id}/finish`, { status });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(expect.arrayContaining([...RUN_FIELDS]));
      expect(res.body).toMatchObject({ batch_run_id: id, status, total_jobs: 3, completed_jobs: 2, failed_jobs: 1 });
      expect(res.body.completed_at).toMatch(ISO_MS_UTC);
      expect((await details(id)).body).toMatchObject({ status, completed_at: res.body.completed_at });
    });

    it('takes explicit job counts', async () => {
      const id = await ingest.start({ total_jobs: 10 });
      const res = await post(`/api/v1/batch/runs/${id}/finish`, { status: 'partial', completed_jobs: 8, failed_jobs: 2 });
      expect(res.body).toMatchObject({ status: 'partial', completed_jobs: 8, failed_jobs: 2 });
    });

    it.each([
      ['an unknown status', { status: 'done' }],
      ['status running', { status: 'running' }],
      ['no status', {}],
      ['negative completed_jobs', { status: 'completed', completed_jobs: -3 }],
    ])('rejects %s: 400 naming the field; the run stays running', async (_, body) => {
      const id = await ingest.start();
      const res = await post(`/api/v1/batch/runs/${id}/finish`, body);
      expectFieldError(res, 'status' in body && body.status === 'completed' ? 'completed_jobs' : 'status');
      expect((await details(id)).body.status).toBe('running');
    });

    it('finishing again: the same status is 200 (a retry), another status 409 and the first stays', async () => {
      const id = await ingest.start();
      await ingest.finish(id, 'completed');
      expect((await post(`/api/v1/batch/runs/${id}/finish`, { status: 'completed' })).status).toBe(200);
      const res = await post(`/api/v1/batch/runs/${id}/finish`, { status: 'failed' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'run_finished' });
      expect((await details(id)).body.status).toBe('completed');
    });

    it('answers 404 for an unknown run', async () => {
      const res = await post('/api/v1/batch/runs/never-started/finish', { status: 'completed' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('run_not_found');
    });
  });

  it('an admin token may use every ingestion route', async () => {
    const asAdmin = new Ingest(t, admin);
    const id = await asAdmin.start({ phases: ['p'] });
    expect(await asAdmin.append(id, [{ level: 'info', message: 'by admin' }])).toEqual({ appended: 1, last_seq: 1 });
    await asAdmin.completePhase(id, 'p');
    await asAdmin.finish(id, 'completed');
    expect((await details(id)).body).toMatchObject({ status: 'completed', log_entry_count: 1 });
  });
});
