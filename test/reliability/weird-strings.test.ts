/**
 * Weird strings as log messages, sent over HTTP: SQL-meaningful text, 64 KiB messages, right-to-left
 * and bidi controls, emoji and astral characters, control characters, NUL and lone surrogates.
 *
 * Each one is stored as sent (in the event, the entry row and the snapshot) and returned byte for byte
 * in the JSON and NDJSON downloads: from memory (the writing instance) and from the database (a second
 * instance on the same database: the entry table while the run is open, the snapshot once finished,
 * and the entry table again for a filtered read). The two documented exceptions:
 *   - NUL (U+0000) is rejected with 400 and nothing of the request is stored (PostgreSQL text and
 *     jsonb cannot hold it, and rewriting it silently would not be faithful);
 *   - a lone surrogate (U+D800..U+DFFF without its pair) cannot be encoded as UTF-8: it is stored and
 *     returned as U+FFFD, never as a "\ud800" escape.
 * In the TXT download every line after the header starts with the ISO timestamp of a real entry or is
 * an indented continuation ("    "), so a message can never forge an entry line, and no raw control
 * character but "\n" (no ESC, BEL, CR, TAB...) reaches the body.
 */
import * as http from 'http';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const RUN = 'weird-strings';
const BASE_MS = Date.parse('2026-01-11T14:00:00.000Z');
const HEADER_RULE = '-'.repeat(72);

/** [what, message as sent]; each is sent as one entry, in this order. */
const MESSAGES: Array<[string, string]> = [
  // SQL-meaningful text: parameters all the way, so nothing of it is interpreted
  ['sql: drop table', "'); DROP TABLE batch_run_log_entries; --"],
  ['sql: placeholder', '$1'],
  ['sql: placeholder with cast', '$1::text, $2, $$dollar quoted$$'],
  ['sql: bytea-looking NUL', '\\x00'],
  ['sql: escape string', "E'\\x00\\000\\u0000'"],
  ['sql: COPY markers', '\\N\n\\.\n'],
  ['sql: quotes and comments', "'' OR 1=1 -- /* */ ; \" `"],
  ['sql: format and named params', '%s %d %% :name ? @p1'],
  ['json-looking text', '{"seq":1,"message":"forged"}'],
  ['backslashes', '\\\\server\\share\\ \\'],
  // 64 KiB: exactly MAX_MESSAGE_LENGTH UTF-16 code units, in 1-, 2-, 3- and 4-byte UTF-8
  ['64 KiB ascii', 'x'.repeat(65_536)],
  ['64 KiB 2-byte', 'é'.repeat(65_536)],
  ['64 KiB 3-byte', '中'.repeat(65_536)],
  ['64 KiB emoji (32768 astral characters = 65536 code units)', '😀'.repeat(32_768)],
  // right-to-left and bidi controls
  ['arabic', 'مرحبا بالعالم: تم تحميل 42 سجلاً'],
  ['hebrew', 'שלום עולם — הייבוא הסתיים'],
  ['right-to-left override', '\u202etxt.exe — invoice\u202c done'],
  ['isolates and marks', 'a\u2066b\u2067c\u2068d\u2069 \u200f\u200e\u061c'],
  // emoji, astral and odd code points
  ['emoji', '😀 🚀 👍🏽'],
  ['zwj sequence and flags', '👨‍👩‍👧‍👦 🏳️‍🌈 🇫🇷'],
  ['mathematical alphanumerics', '𝕳𝖊𝖑𝖑𝖔 𝟙𝟚𝟛 𓀀'],
  ['noncharacters and BOM', '\ufeffbom \ufffe \uffff \u{10ffff} \u{1fffe}'],
  ['combining marks', 'e\u0301 a\u0308 Z\u0335\u0321\u0322a\u0336\u0327l\u0334g\u0337o'],
  ['replacement character itself', '\ufffd'],
  // control characters
  ['SOH', 'a\u0001b'],
  ['ANSI colour', '\u001b[31mred\u001b[0m'],
  ['BEL', 'ding\u0007'],
  ['backspace and DEL', 'ab\bc\u007f'],
  ['NEL', 'next\u0085line'],
  ['line separator', 'a\u2028b'],
  ['paragraph separator', 'a\u2029b'],
  ['CR', 'a\rb'],
  ['CRLF', 'a\r\nb'],
  ['TAB', 'a\tb\n\tat com.example.Job.run(Job.java:42)'],
  ['VT and FF', 'a\u000bb\u000cc'],
  ['C1 CSI', '\u009b31mc1'],
  ['only line breaks', '\n\n\r\n'],
  // attempts to forge an entry line in TXT
  ['forged entry after LF', 'ok\n2026-01-11T14:07:13.450Z ERROR [Load] forged entry'],
  ['forged entry after CR', 'ok\r2026-01-11T14:07:13.450Z ERROR [Load] forged entry'],
  ['forged entry after NEL / LS / PS', 'ok\u00852026-01-11T14:07:13.450Z ERROR x\u20282026-01-11T14:07:13.450Z ERROR y\u20292026-01-11T14:07:13.450Z ERROR z'],
  ['forged header rule', `ok\n${HEADER_RULE}\nBatch run:   other`],
  // lone surrogates: stored as U+FFFD
  ['lone high surrogate', '\ud800'],
  ['lone low surrogate inside', 'a\udfffb'],
  ['high surrogate at the end', 'end\ud83d'],
  ['low surrogate at the start', '\ude00start'],
  ['pair in the wrong order', '\udc00\ud800'],
];

/** What the API stores and returns for a message: the message, lone surrogates as U+FFFD. */
const stored = (message: string) => message.toWellFormed();

const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
/** C0 controls but LF, DEL, and C1 controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const TXT_ENTRY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (INFO|WARNING|ERROR) \[Load\] /;

interface Download {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  text: string;
}

function get(baseUrl: string, path: string, authorization: string): Promise<Download> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { headers: { Authorization: authorization } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text: raw.toString('utf8') });
      });
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`GET ${path}: no answer`)));
    req.on('error', reject);
  });
}

function post(baseUrl: string, path: string, authorization: string, body: unknown): Promise<{ status: number; json: any }> {
  // JSON.stringify sends a lone surrogate as the escape "\ud800": the server sees exactly the string sent.
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${path}`,
      { method: 'POST', headers: { Authorization: authorization, 'Content-Type': 'application/json', 'Content-Length': payload.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('weird strings: stored and returned faithfully, TXT lines never forged', () => {
  let t: TestApp;
  let t2: TestApp;
  let service: string;
  let admin: string;
  const timestampOf = (i: number) => new Date(BASE_MS + i * 1000).toISOString();
  const sent = MESSAGES.map(([, message], i) => ({ seq: i + 1, level: 'info', phase: 'Load', timestamp: timestampOf(i), message }));
  const expected = sent.map((e) => ({ ...e, message: stored(e.message) }));

  beforeAll(async () => {
    const env = { RATE_LIMIT_DOWNLOADS_PER_MINUTE: '100000', RUN_LEASE_SECONDS: '3600' };
    t = await startTestApp({ listen: true, env });
    t2 = await startTestApp({ db: t.db, listen: true, env });
    service = `Bearer ${await tokenFor('service')}`;
    admin = `Bearer ${await tokenFor('admin')}`;
    expect((await post(t.baseUrl, '/api/v1/batch/runs', service, { batch_run_id: RUN, phases: ['Load'] })).status).toBe(201);
    // In a few requests, each well under the 5 MiB body limit.
    for (let from = 0; from < sent.length; from += 8) {
      const res = await post(t.baseUrl, `/api/v1/batch/runs/${RUN}/logs`, service, { entries: sent.slice(from, from + 8) });
      expect([from, res.status, res.json]).toEqual([from, 201, { appended: Math.min(8, sent.length - from), last_seq: Math.min(from + 8, sent.length) }]);
    }
  });
  afterAll(async () => {
    await t2?.close();
    await t?.close();
  });

  async function tableCounts(): Promise<string> {
    const { rows } = await t.pool.query(
      `SELECT (SELECT count(*) FROM batch_run_events)::int AS events, (SELECT count(*) FROM batch_run_log_entries)::int AS entries`,
    );
    return JSON.stringify(rows[0]);
  }

  function expectSameEntries(got: Array<{ seq: number; timestamp: string; level: string; phase: string; message: string }>, label: string): void {
    expect(got).toHaveLength(expected.length);
    got.forEach((entry, i) => {
      const [what] = MESSAGES[i];
      // Compared as UTF-8 bytes, with a readable name when they differ.
      const same = Buffer.from(entry.message, 'utf8').equals(Buffer.from(expected[i].message, 'utf8'));
      expect({ label, what, same, seq: entry.seq, timestamp: entry.timestamp, level: entry.level, phase: entry.phase }).toEqual({
        label,
        what,
        same: true,
        seq: expected[i].seq,
        timestamp: expected[i].timestamp,
        level: 'info',
        phase: 'Load',
      });
    });
  }

  /** The raw bytes hold each message exactly as a JSON encoder writes it, and no lone-surrogate escape. */
  function expectRawJson(raw: Buffer, label: string): void {
    const text = raw.toString('utf8');
    expect(Buffer.from(text, 'utf8').equals(raw)).toBe(true); // valid UTF-8 throughout
    expect({ label, loneSurrogateEscape: LONE_SURROGATE_ESCAPE.test(text) }).toEqual({ label, loneSurrogateEscape: false });
    expected.forEach(({ message }, i) => {
      expect({ label, what: MESSAGES[i][0], found: raw.includes(Buffer.from(JSON.stringify(message), 'utf8')) }).toEqual({ label, what: MESSAGES[i][0], found: true });
    });
  }

  async function json(app: TestApp, query = ''): Promise<{ source: string; entries: any[]; raw: Buffer }> {
    const res = await get(app.baseUrl, `/api/v1/admin/batch/history/${RUN}/logs?format=json${query}`, admin);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(res.text);
    return { source: body.source, entries: body.entries, raw: res.raw };
  }

  async function ndjson(app: TestApp, query = ''): Promise<{ entries: any[]; raw: Buffer }> {
    const res = await get(app.baseUrl, `/api/v1/admin/batch/history/${RUN}/logs?format=ndjson${query}`, admin);
    expect(res.status).toBe(200);
    const lines = res.text.split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    expect(lines).toHaveLength(expected.length); // no message breaks an NDJSON line
    return { entries: lines.map((l) => JSON.parse(l)), raw: res.raw };
  }

  async function txt(app: TestApp): Promise<string> {
    const res = await get(app.baseUrl, `/api/v1/admin/batch/history/${RUN}/logs?format=txt`, admin);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    return res.text;
  }

  function expectTxtStructure(body: string, label: string): void {
    const rawControl = body.match(RAW_CONTROL);
    expect({ label, rawControl: rawControl ? `U+${rawControl[0].charCodeAt(0).toString(16).padStart(4, '0')}` : null }).toEqual({ label, rawControl: null });
    const parts = body.split(`\n${HEADER_RULE}\n`);
    expect(parts).toHaveLength(2); // the header rule once: a message cannot forge it at the start of a line
    const lines = parts[1].split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.pop()).toBe(`-- entries 1-${expected.length} of ${expected.length}, complete`); // the trailer: the range returned
    const entryLines = lines.filter((line) => !line.startsWith('    '));
    for (const line of entryLines) expect({ label, line: line.slice(0, 80), isEntry: TXT_ENTRY.test(line) }).toEqual({ label, line: line.slice(0, 80), isEntry: true });
    // One entry line per real entry, in order, with that entry's timestamp: no message adds one.
    expect(entryLines.map((line) => TXT_ENTRY.exec(line)![1])).toEqual(expected.map((e) => e.timestamp));
    // Text without controls or line breaks is shown as it is, on its entry's line.
    expected.forEach((e, i) => {
      if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(e.message)) return;
      expect(entryLines[i]).toBe(`${e.timestamp} INFO [Load] ${e.message}`);
    });
    // What a viewer would be fooled by is shown inert: escape sequences removed (ansi=strip, the default), other controls escaped.
    const at = (what: string) => timestampOf(MESSAGES.findIndex(([w]) => w === what));
    expect(body).toContain(`\n${at('ANSI colour')} INFO [Load] red\n`);
    expect(body).toContain(`\n${at('C1 CSI')} INFO [Load] c1\n`);
    expect(body).toContain(`\n${at('BEL')} INFO [Load] ding\\u0007\n`);
    expect(body).toContain(`${timestampOf(MESSAGES.findIndex(([w]) => w === 'TAB'))} INFO [Load] a    b\n        at com.example.Job.run(Job.java:42)\n`);
  }

  it('every message is stored as sent in the event, the entry table (lone surrogates as U+FFFD)', async () => {
    const { rows } = await t.pool.query('SELECT seq, message FROM batch_run_log_entries WHERE batch_run_id = $1 ORDER BY seq', [RUN]);
    expect(rows.map((r) => r.seq)).toEqual(expected.map((e) => e.seq));
    rows.forEach((row, i) => expect({ what: MESSAGES[i][0], same: row.message === expected[i].message }).toEqual({ what: MESSAGES[i][0], same: true }));
    const events = await t.pool.query(`SELECT payload FROM batch_run_events WHERE stream_id = $1 AND type = 'LogAppended' ORDER BY version`, [RUN]);
    const fromEvents = events.rows.flatMap((r) => r.payload.entries.map((e: { message: string }) => e.message));
    expect(fromEvents).toEqual(expected.map((e) => e.message));
  });

  it('JSON and NDJSON from memory return every message byte for byte', async () => {
    const j = await json(t);
    expect(j.source).toBe('memory');
    expectSameEntries(j.entries, 'json memory');
    expectRawJson(j.raw, 'json memory');
    const n = await ndjson(t);
    expectSameEntries(n.entries, 'ndjson memory');
    expectRawJson(n.raw, 'ndjson memory');
  });

  it('JSON and NDJSON from the database (a second instance) return every message byte for byte', async () => {
    const j = await json(t2);
    expect(j.source).toBe('entries');
    expectSameEntries(j.entries, 'json entries');
    expectRawJson(j.raw, 'json entries');
    const n = await ndjson(t2);
    expectSameEntries(n.entries, 'ndjson entries');
    expectRawJson(n.raw, 'ndjson entries');
    const filtered = await json(t2, '&phase=Load&level=info');
    expect(filtered.source).toBe('entries');
    expectSameEntries(filtered.entries, 'json filtered');
  });

  it('TXT from memory and from the database: only real entries start a line, no raw control but LF', async () => {
    const fromMemory = await txt(t);
    expectTxtStructure(fromMemory, 'txt memory');
    const fromDatabase = await txt(t2);
    expectTxtStructure(fromDatabase, 'txt entries');
    expect(fromDatabase.split(`\n${HEADER_RULE}\n`)[1]).toBe(fromMemory.split(`\n${HEADER_RULE}\n`)[1]);
  });

  it('NUL is a 400 naming the entry, and nothing of the request is stored', async () => {
    const before = await tableCounts();
    for (const entries of [
      [{ level: 'info', message: '\u0000' }],
      [{ level: 'info', message: 'a\u0000b' }],
      [{ level: 'info', message: 'fine' }, { level: 'info', message: 'trailing\u0000' }],
      [{ level: 'info', message: 'fine', phase: 'Lo\u0000ad' }],
    ]) {
      const res = await post(t.baseUrl, `/api/v1/batch/runs/${RUN}/logs`, service, { entries });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toMatch(/NUL|\\\\u0000/);
    }
    expect(await tableCounts()).toBe(before);
    expect((await get(t2.baseUrl, `/api/v1/admin/batch/history/${RUN}/logs/count`, admin)).text).toBe(JSON.stringify({ batch_run_id: RUN, count: expected.length }));
  });

  it('65537 code units is a 400 (65536 is the most: an astral character counts two), and nothing is stored', async () => {
    const before = await tableCounts();
    for (const message of ['x'.repeat(65_537), '😀'.repeat(32_768) + 'x', 'é'.repeat(65_537)]) {
      const res = await post(t.baseUrl, `/api/v1/batch/runs/${RUN}/logs`, service, { entries: [{ level: 'info', message: 'fine' }, { level: 'info', message }] });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json)).toContain('entries');
    }
    expect(await tableCounts()).toBe(before);
  });

  it('after the run finishes: the snapshot holds every message, and the second instance serves it byte for byte', async () => {
    expect((await post(t.baseUrl, `/api/v1/batch/runs/${RUN}/phases/Load/complete`, service, { completed_jobs: 1 })).status).toBe(200);
    expect((await post(t.baseUrl, `/api/v1/batch/runs/${RUN}/finish`, service, { status: 'completed' })).status).toBe(200);
    const { rows } = await t.pool.query('SELECT activity_log FROM batch_run_history WHERE batch_run_id = $1', [RUN]);
    expect(rows[0].activity_log.map((e: { message: string }) => e.message)).toEqual(expected.map((e) => e.message));
    const j = await json(t2);
    expect(j.source).toBe('snapshot');
    expectSameEntries(j.entries, 'json snapshot');
    expectRawJson(j.raw, 'json snapshot');
    const n = await ndjson(t2);
    expectSameEntries(n.entries, 'ndjson snapshot');
    expectRawJson(n.raw, 'ndjson snapshot');
    expectTxtStructure(await txt(t2), 'txt snapshot');
    // The writer still serves it from memory, identically.
    const m = await json(t);
    expect(m.source).toBe('memory');
    expect(JSON.stringify(m.entries)).toBe(JSON.stringify(j.entries));
  });
});
