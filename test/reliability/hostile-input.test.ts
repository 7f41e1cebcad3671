/**
 * Hostile input over every HTTP route, property-based (fast-check): random JSON bodies (anything,
 * the right keys with the wrong types, huge numbers, nested arrays, raw non-JSON text), random query
 * strings (repeated keys, `a[]=`, unicode, raw percent sequences) and random path ids (`..`, `%00`,
 * `%2F`, CRLF, very long, unicode, raw bytes). For every request:
 *   - the status is never >= 500 (and the response is never cut off half-way);
 *   - a rejected (4xx) write stores nothing (rows of batch_run_events, batch_run_log_entries and
 *     batch_run_history counted before and after);
 *   - no response header holds a CR, LF or non-ASCII byte, none is added from input (no Set-Cookie,
 *     no Location), and Content-Disposition filenames hold only [A-Za-z0-9_.-].
 * Reads go to two instances on one database: the writer (served from memory) and a second one
 * (served from the snapshot and entry tables), so both read paths see the same hostile queries.
 *
 * HOSTILE_RUNS (default 40) sets fast-check's numRuns per route; HOSTILE_SEED replays a failure;
 * HOSTILE_BUDGET_MS (default 35000) bounds the time of all properties together.
 */
import fc from 'fast-check';
import { randomUUID } from 'crypto';
import * as http from 'http';
import { StartBatchRunCommand } from '../../src/batch-runs/commands/start-batch-run/start-batch-run.command';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { FinishBatchRunCommand } from '../../src/batch-runs/commands/finish-batch-run/finish-batch-run.command';
import { startTestApp, TestApp, tokenFor } from '../support/test-app';

const NUM_RUNS = Number(process.env.HOSTILE_RUNS ?? 40);
const SEED = process.env.HOSTILE_SEED === undefined ? undefined : Number(process.env.HOSTILE_SEED);
/**
 * The properties share a time budget (HOSTILE_BUDGET_MS, default 35 s) so the file stays under a minute on a
 * busy machine: each gets an equal share of what is left, and stops early (passing) when its share runs out.
 * The statuses printed at the end show how many requests each route got.
 */
const BUDGET_MS = Number(process.env.HOSTILE_BUDGET_MS ?? 35_000);
const PROPERTIES = 13;
let budgetEnd = 0;
let propertiesLeft = PROPERTIES;
const fcOptions = (numRuns = NUM_RUNS) => {
  if (budgetEnd === 0) budgetEnd = Date.now() + BUDGET_MS;
  const share = Math.max(1_000, (budgetEnd - Date.now()) / Math.max(1, propertiesLeft--));
  return { numRuns, ...(SEED === undefined ? {} : { seed: SEED }), interruptAfterTimeLimit: Math.round(share) };
};

jest.setTimeout(120_000);

const ENV = {
  RATE_LIMIT_DOWNLOADS_PER_MINUTE: '1000000', // the limit has its own tests; here it would only turn requests into 429s
  RUN_LEASE_SECONDS: '3600', // no sweeper writes between a property's before and after counts
  RETENTION_DAYS: '0',
};

const P1 = randomUUID(); // the portfolio of user-1's runs
const P2 = randomUUID(); // another owner's portfolio
const LEVELS = ['info', 'warning', 'error'];

// ---------------------------------------------------------------------------------------------
// Raw HTTP: paths are sent exactly as generated (no URL normalisation of `..` or `%2E`).

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Server-Sent Events: read the status and headers, then hang up. */
  sse?: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function send(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent },
      (res) => {
        const head = { status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders };
        if (req.sse) {
          res.destroy();
          resolve({ ...head, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new Error(`${req.method} ${req.path.slice(0, 200)}: response cut off after ${head.status} (${e.message})`)));
        res.on('end', () => {
          if (!res.complete) reject(new Error(`${req.method} ${req.path.slice(0, 200)}: response incomplete after ${head.status}`));
          else resolve({ ...head, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    r.setTimeout(15_000, () => r.destroy(new Error(`${req.method} ${req.path.slice(0, 200)}: no answer within 15 s`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** A header value the server sends must be printable ASCII: no CR, LF or byte echoed from input. */
const SAFE_HEADER_VALUE = /^[\x20-\x7e]*$/;
const FORBIDDEN_HEADERS = new Set(['set-cookie', 'location', 'refresh', 'link']);
const SAFE_DISPOSITION = /^attachment; filename="[A-Za-z0-9_.-]+"$/;

function describe_(req: RawRequest, res: RawResponse): string {
  return `${req.method} ${req.path.slice(0, 300)}${req.body !== undefined ? ` body=${String(req.body).slice(0, 300)}` : ''} -> ${res.status} ${res.body.slice(0, 300)}`;
}

function checkResponse(req: RawRequest, res: RawResponse): void {
  if (res.status >= 500 || res.status < 100) throw new Error(`server error: ${describe_(req, res)}`);
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const [name, value] = [res.rawHeaders[i], res.rawHeaders[i + 1]];
    if (!/^[A-Za-z0-9-]+$/.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      throw new Error(`unexpected header ${JSON.stringify(name)}: ${describe_(req, res)}`);
    }
    if (!SAFE_HEADER_VALUE.test(value)) throw new Error(`unsafe header ${name}: ${JSON.stringify(value)}: ${describe_(req, res)}`);
  }
  const disposition = res.headers['content-disposition'];
  if (disposition !== undefined && !SAFE_DISPOSITION.test(disposition)) {
    throw new Error(`unsafe Content-Disposition ${JSON.stringify(disposition)}: ${describe_(req, res)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Percent-encodes everything but unreserved ASCII, as UTF-8 (a lone surrogate becomes EF BF BD). */
function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Any UTF-16 code unit, lone surrogates included, with the troublemakers well represented. */
const hostileChar = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '\u0000', '\ud800', '\udfff', '\u202e', '\r', '\n', '\r\n', '\u001b[31m', '\u0007', '\u0085', '\u2028', '\u2029', '\t',
      '"', "'", '\\', '%', '%00', '..', '/', ';', '=', '&', '?', '#', '$1', '\ufeff', '\ufffd', '😀', 'ك', 'ש',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 4 },
);
const hostileString = (maxLength = 40) => fc.array(hostileChar, { maxLength }).map((parts) => parts.join(''));

/** Numbers that JSON can carry but a database integer column cannot, and some JSON cannot. */
const RAW_PREFIX = '\u0000RAW:';
const rawNumber = fc
  .constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1.0', '-0', '1E2', '0.5', '2147483648', '4294967296', '9007199254740993', '-2147483649', '1e-400')
  .map((text) => `${RAW_PREFIX}${text}`);
const hugeNumber = fc.oneof(
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53 + 2, 1e308, -1e308, -1, -(2 ** 31) - 1, 0, 1.5, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const nestedArrays = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant([]), fc.integer(), fc.array(tie('tree'), { maxLength: 3 })),
})).tree;

/** A value of any type: what a field gets when the client is broken or malicious. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.jsonValue({ maxDepth: 2 }),
  hugeNumber,
  rawNumber,
  hostileString(),
  nestedArrays,
  fc.constantFrom(null, true, false, '', ' ', [], {}, [null], { $gt: '' }, '__proto__'),
);

/** JSON text of a value, with RAW markers replaced by the raw number text they carry. */
function toJsonText(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return text?.replace(/"\\u0000RAW:([^"]*)"/g, '$1');
}

/** Object with the route's keys: each missing, plausible or of any type; sometimes an extra key. */
function bodyWith(keys: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const plausibleOrAny = Object.fromEntries(Object.entries(keys).map(([k, a]) => [k, fc.oneof({ arbitrary: a, weight: 3 }, { arbitrary: anyValue, weight: 1 })]));
  const wrongTypes = Object.fromEntries(Object.keys(keys).map((k) => [k, anyValue]));
  return fc.oneof(
    { arbitrary: fc.record(plausibleOrAny, { requiredKeys: [] }), weight: 6 },
    { arbitrary: fc.record(wrongTypes, { requiredKeys: [] }), weight: 2 },
    {
      arbitrary: fc.tuple(fc.record(plausibleOrAny, { requiredKeys: [] }), hostileString(12), anyValue).map(([o, k, v]) => ({ ...o, [k]: v })),
      weight: 1,
    },
    { arbitrary: fc.anything(), weight: 1 },
    { arbitrary: fc.jsonValue(), weight: 1 },
  );
}

/** How a body travels: mostly JSON, sometimes raw text, other content types, deep nesting. */
interface Payload {
  contentType: string | null;
  text: string | undefined;
}

const rawBodyText = fc.oneof(
  fc.constantFrom('', 'null', 'true', '"x"', '1', '[]', '{', '{"entries":', '{"a":1,}', "{'a':1}", '\u0000', '\ufeff{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}'),
  hostileString(60),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"entries":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"phases":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"entries":[{"level":"info","message":"x","extra":${'['.repeat(depth)}${']'.repeat(depth)}}]}`),
);

function payload(body: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> {
  return fc.oneof(
    { arbitrary: body.map((b) => ({ contentType: 'application/json', text: toJsonText(b) })), weight: 10 },
    { arbitrary: rawBodyText.map((text) => ({ contentType: 'application/json', text })), weight: 2 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/xml', null), body)
        .map(([contentType, b]) => ({ contentType, text: toJsonText(b) })),
      weight: 1,
    },
    { arbitrary: fc.constant({ contentType: null, text: undefined }), weight: 1 },
  );
}

/** A path segment: real ids, valid-shaped ones, traversal, NUL, encoded slashes, CRLF, long, unicode, raw bytes. */
const HOSTILE_SEGMENTS = [
  '..', '.', '%2E%2E', '%2e%2e%2f', '..%2F..%2Fetc%2Fpasswd', '%00', 'a%00b', '%2F', 'a%2Fb', '%5C', '%0D%0ASet-Cookie:%20x=1', '%0d%0a',
  '%ZZ', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AE%C0%AE', '%EF%BF%BD', '%E2%80%AE', '%F0%9F%98%80', 'a'.repeat(128), 'a'.repeat(129),
  'a'.repeat(8_000), '%u202E', '\u00ff\u00fe', 'run%20id', 'run id'.replace(' ', '%09'), 'CON', 'nul', "'%3B--", '$1', '*', '~', '%25',
];
function segment(real: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: real, weight: 10 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/), weight: 2 },
    { arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS), weight: 3 },
    { arbitrary: hostileString(30).filter((s) => s.length > 0).map(pct), weight: 2 },
    { arbitrary: fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 8 }), weight: 1 },
  );
}

const QUERY_KEYS = ['format', 'level', 'phase', 'after_seq', 'limit', 'status', 'portfolio_id', 'cursor', 'at', 'speed', 'batch_run_id'];
const isoDate = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
/** A cursor as the API hands it out: the (started_at, batch_run_id) of a page's last run. */
const VALID_CURSOR = Buffer.from(JSON.stringify(['2026-01-11T14:00:00.000Z', 'seed-done'])).toString('base64url');
const cursorText = fc
  .tuple(
    fc.oneof(isoDate, fc.constantFrom('0', '1', '2020', 'March 7', '2020/01/01', 'Tue Mar 01 2022', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00Z', '2020-01-01T00:00:00+99:00'), hostileString(20)),
    fc.oneof(fc.constantFrom('seed-open', 'seed-done'), hostileString(20), fc.constant(null), fc.integer()),
  )
  .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url'));
const queryValue = fc.oneof(
  { arbitrary: fc.constantFrom('json', 'txt', 'ndjson', 'csv', 'JSON', ...LEVELS, 'Load', 'Score', 'running', 'completed', 'failed', 'partial', '0', '1', '-1', '1e3', '0x10', '99999999999', '1.5', 'NaN', 'Infinity', '', 'seed-open', 'seed-done', P1, '2026-01-11T14:00:00Z', '2020-W01-1', '2020-01-01T00:00:00,5Z', '2020-001').map(pct), weight: 6 },
  { arbitrary: cursorText, weight: 2 },
  { arbitrary: hostileString(30).map(pct), weight: 3 },
  { arbitrary: fc.constantFrom('%00', '%ZZ', '%', '%ED%A0%80', '%0D%0A', '%C0%80', 'a+b', '%2B', '%26x%3D1', '\u00ff'), weight: 2 },
  { arbitrary: fc.constant('9'.repeat(400)), weight: 1 },
);
const queryKey = fc.oneof(
  { arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 6 },
  { arbitrary: fc.constantFrom(...QUERY_KEYS.map((k) => `${k}[]`), 'format[0]', 'a[b][c]', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''), weight: 2 },
  { arbitrary: hostileString(10).map(pct), weight: 1 },
);
const query = fc
  .array(fc.oneof({ arbitrary: fc.tuple(queryKey, queryValue).map(([k, v]) => `${k}=${v}`), weight: 8 }, { arbitrary: queryKey, weight: 1 }), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
/** Mostly a well-formed query for the route, sometimes anything. */
function queryFor(valid: Record<string, fc.Arbitrary<string>>, plausible: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const asQuery = (record: Record<string, fc.Arbitrary<string>>) =>
    fc
      .record(record, { requiredKeys: [] })
      .map((o) => Object.entries(o).map(([k, v]) => `${k}=${pct(v as string)}`))
      .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
  const mixed = Object.fromEntries(Object.keys(plausible).map((k) => [k, fc.oneof(valid[k] ?? plausible[k], plausible[k])]));
  return fc.oneof({ arbitrary: asQuery(valid), weight: 3 }, { arbitrary: asQuery(mixed), weight: 2 }, { arbitrary: query, weight: 2 });
}

/** Well-formed bodies, with hostile but acceptable text, some of the time; hostile ones the rest. */
function mix<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: 2 }, { arbitrary: hostile, weight: 3 });
}

type Who = 'admin' | 'service' | 'user' | 'other-user' | 'none' | 'garbage' | 'basic';
function auth(primary: Who, alsoAllowed: Who[] = []): fc.Arbitrary<Who> {
  return fc.oneof(
    { arbitrary: fc.constant(primary), weight: 8 },
    ...alsoAllowed.map((who) => ({ arbitrary: fc.constant(who), weight: 3 })),
    { arbitrary: fc.constantFrom<Who>('admin', 'service', 'user', 'other-user', 'none', 'garbage', 'basic'), weight: 2 },
  );
}

// ---------------------------------------------------------------------------------------------

describe('hostile input (property-based, every route)', () => {
  let t: TestApp;
  let t2: TestApp;
  const tokens: Record<Who, string | undefined> = { admin: '', service: '', user: '', 'other-user': '', none: undefined, garbage: 'Bearer not.a.jwt', basic: 'Basic YWRtaW46YWRtaW4=' };
  let fresh = 0;
  const stats = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    t = await startTestApp({ listen: true, env: ENV });
    t2 = await startTestApp({ db: t.db, listen: true, env: ENV });
    tokens.admin = `Bearer ${await tokenFor('admin')}`;
    tokens.service = `Bearer ${await tokenFor('service')}`;
    tokens.user = `Bearer ${await tokenFor('user', 'user-1')}`;
    tokens['other-user'] = `Bearer ${await tokenFor('user', 'user-2')}`;
    const run = (command: object) => t.commandBus.execute(command as never);
    await run(new StartBatchRunCommand({ batchRunId: 'seed-open', portfolioId: P1, ownerId: 'user-1', totalJobs: 4, phases: ['Load', 'Score'] }));
    await run(new AppendLogEntriesCommand({ batchRunId: 'seed-open', entries: [
      { level: 'info', message: 'loading\nforged 2026-01-01T00:00:00.000Z INFO fake', phase: 'Load' },
      { level: 'warning', message: "'); DROP TABLE batch_run_log_entries; --", phase: 'Load' },
      { level: 'error', message: '\u202e\u001b[31mred\u0007 😀', phase: 'Score' },
    ] }));
    await run(new StartBatchRunCommand({ batchRunId: 'seed-done', portfolioId: P1, ownerId: 'user-1', phases: ['Load'] }));
    await run(new AppendLogEntriesCommand({ batchRunId: 'seed-done', entries: [{ level: 'info', message: 'done', phase: 'Load' }] }));
    await run(new FinishBatchRunCommand({ batchRunId: 'seed-done', status: 'completed' }));
    await run(new StartBatchRunCommand({ batchRunId: 'seed-other', portfolioId: P2, ownerId: 'user-2', phases: ['Load'] }));
  });

  afterAll(async () => {
    agent.destroy();
    await t2?.close();
    await t?.close();
    const summary = [...stats].map(([route, counts]) => `${route}: ${[...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}x${n}`).join(' ')}`);
    console.log(`hostile-input statuses per route (numRuns ${NUM_RUNS}):\n${summary.join('\n')}`);
  });

  function record(route: string, status: number): void {
    const counts = stats.get(route) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    stats.set(route, counts);
  }

  function headersFor(who: Who, p?: Payload, extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { ...extra };
    const authorization = tokens[who];
    if (authorization !== undefined) headers.Authorization = authorization;
    if (p?.contentType) headers['Content-Type'] = p.contentType;
    return headers;
  }

  async function counts(): Promise<string> {
    const { rows } = await t.pool.query(
      `SELECT (SELECT count(*) FROM batch_run_events)::int AS events, (SELECT count(*) FROM batch_run_log_entries)::int AS entries,
              (SELECT count(*) FROM batch_run_history)::int AS runs`,
    );
    return JSON.stringify(rows[0]);
  }

  /** A running run made for this one request (so finishing or completing it does not close the others' target). */
  async function resolveId(id: string): Promise<string> {
    if (id !== 'FRESH') return id;
    const batchRunId = `fresh-${++fresh}`;
    await t.commandBus.execute(new StartBatchRunCommand({ batchRunId, portfolioId: P1, ownerId: 'user-1', totalJobs: 10, phases: ['Load', 'Score'] }) as never);
    return batchRunId;
  }

  async function write(route: string, req: RawRequest): Promise<RawResponse> {
    await t.committer.idle();
    const before = await counts();
    const res = await send(t.baseUrl, req);
    record(route, res.status);
    if (process.env.HOSTILE_DEBUG && route === process.env.HOSTILE_DEBUG) console.log(describe_(req, res));
    checkResponse(req, res);
    if (res.status >= 400) {
      await t.committer.idle();
      const after = await counts();
      if (after !== before) throw new Error(`a rejected write stored something (${before} -> ${after}): ${describe_(req, res)}`);
    }
    if (res.status === 202) await t.orchestrator.idle(); // the onboarding batch runs in the background
    return res;
  }

  async function read(route: string, onSecond: boolean, req: RawRequest): Promise<RawResponse> {
    const res = await send((onSecond ? t2 : t).baseUrl, req);
    record(route, res.status);
    if (process.env.HOSTILE_DEBUG && route === process.env.HOSTILE_DEBUG) console.log(describe_(req, res));
    checkResponse(req, res);
    return res;
  }

  const runId = segment(fc.constantFrom('FRESH', 'FRESH', 'seed-open', 'seed-done', 'seed-other', 'no-such-run'));
  const readRunId = segment(fc.constantFrom('seed-open', 'seed-done', 'seed-other', 'no-such-run'));
  const portfolioId = segment(fc.constantFrom(P1, P1, P2, randomUUID(), P1.toUpperCase(), `{${P1}}`, P1.replace(/-/g, ''), '00000000-0000-0000-0000-000000000000'));
  const phaseName = fc.oneof({ arbitrary: fc.constantFrom('Load', 'Score', 'Report'), weight: 3 }, { arbitrary: hostileString(30), weight: 2 }, { arbitrary: fc.constant('p'.repeat(201)), weight: 1 });
  const count = fc.oneof({ arbitrary: fc.nat({ max: 1000 }), weight: 3 }, { arbitrary: hugeNumber, weight: 2 }, { arbitrary: rawNumber, weight: 1 });
  const message = fc.oneof(
    { arbitrary: hostileString(80), weight: 4 },
    { arbitrary: fc.constantFrom('x'.repeat(65_536), 'x'.repeat(65_537), ''), weight: 1 },
  );
  const timestamp = fc.oneof(
    { arbitrary: isoDate, weight: 3 },
    {
      arbitrary: fc.constantFrom(
        '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '9999-12-31T23:59:59.999Z', '2020-01-01T24:00:00Z',
        '2020-02-30T00:00:00Z', '2020-W01-1', '2020-001', '20200101T000000Z', '2020-01-01', '2020-01-01T00:00:00.123456789Z', '+275760-09-13T00:00:00.000Z',
        '1970-01-01T00:00:00Z', 'now', '',
      ),
      weight: 2,
    },
  );
  const entry = fc.record(
    {
      level: fc.oneof({ arbitrary: fc.constantFrom(...LEVELS), weight: 4 }, { arbitrary: fc.constantFrom('INFO', 'debug', 'warn', ''), weight: 1 }),
      message,
      timestamp,
      phase: fc.oneof({ arbitrary: phaseName, weight: 3 }, { arbitrary: fc.constant(null), weight: 1 }),
      seq: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 3 }, { arbitrary: count, weight: 1 }),
    },
    { requiredKeys: ['level', 'message'] },
  );
  /** Text the API must accept and keep: anything but NUL (lone surrogates become U+FFFD). */
  const acceptableText = hostileString(60).filter((m) => m.length > 0 && !m.includes('\u0000'));
  const acceptablePhase = fc.oneof(fc.constantFrom('Load', 'Score'), hostileString(30).filter((m) => m.trim().length > 0 && !m.includes('\u0000')));
  const validEntry = fc.record(
    { level: fc.constantFrom(...LEVELS), message: acceptableText, timestamp: isoDate, phase: acceptablePhase },
    { requiredKeys: ['level', 'message'] },
  );
  const validEntries = fc.record({ entries: fc.array(validEntry, { minLength: 1, maxLength: 4 }) });
  const validCount = fc.nat({ max: 1_000_000 });
  const entryOrAny = fc.oneof({ arbitrary: entry, weight: 6 }, { arbitrary: bodyWith({ level: fc.constant('info'), message, timestamp, phase: phaseName, seq: count }), weight: 2 }, { arbitrary: anyValue, weight: 1 });

  it('POST /api/v1/batch/runs', async () => {
    const body = bodyWith({
      batch_run_id: fc.oneof(fc.constant(undefined), fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/), fc.constantFrom('seed-open', 'seed-done'), hostileString(20)),
      portfolio_id: fc.oneof(fc.constant(P1), fc.uuid(), hostileString(36), fc.constant(P1.toUpperCase())),
      owner_id: fc.oneof(fc.constant('user-1'), hostileString(40), fc.constant('o'.repeat(201))),
      total_jobs: count,
      phases: fc.oneof(fc.array(phaseName, { maxLength: 5 }), fc.constant(Array.from({ length: 101 }, (_, i) => `p${i}`)), fc.constant(['Load', 'Load'])),
    });
    const valid = fc.record(
      {
        batch_run_id: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,100}$/).map((id) => `hp-${id}`),
        portfolio_id: fc.oneof(fc.constant(P1), fc.uuid()),
        owner_id: acceptableText,
        total_jobs: validCount,
        phases: fc.uniqueArray(acceptablePhase, { maxLength: 5 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(auth('service', ['admin']), payload(mix(valid, body)), query, async (who, p, q) => {
        await write('start', { method: 'POST', path: `/api/v1/batch/runs${q}`, headers: headersFor(who, p), body: p.text });
      }),
      fcOptions(),
    );
  });

  it('POST /api/v1/batch/runs/:batchRunId/logs', async () => {
    const body = bodyWith({ entries: fc.oneof({ arbitrary: fc.array(entryOrAny, { minLength: 1, maxLength: 4 }), weight: 6 }, { arbitrary: fc.constant([]), weight: 1 }, { arbitrary: fc.constant(Array.from({ length: 1001 }, () => ({ level: 'info', message: 'x' }))), weight: 1 }) });
    await fc.assert(
      fc.asyncProperty(auth('service', ['admin']), runId, payload(mix(validEntries, body)), query, async (who, id, p, q) => {
        const path = `/api/v1/batch/runs/${await resolveId(id)}/logs${q}`;
        await write('append', { method: 'POST', path, headers: headersFor(who, p), body: p.text });
      }),
      fcOptions(),
    );
  });

  it('POST /api/v1/batch/runs/:batchRunId/phases/:phase/complete', async () => {
    const body = bodyWith({ completed_jobs: count, failed_jobs: count, status: fc.constantFrom('completed', 'failed', 'partial', 'COMPLETED') });
    const phase = segment(fc.constantFrom('Load', 'Score', 'Report'));
    const valid = fc.record({ completed_jobs: validCount, failed_jobs: validCount, status: fc.constantFrom('completed', 'failed') }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(auth('service', ['admin']), runId, phase, payload(mix(valid, body)), query, async (who, id, ph, p, q) => {
        const path = `/api/v1/batch/runs/${await resolveId(id)}/phases/${ph}/complete${q}`;
        await write('complete', { method: 'POST', path, headers: headersFor(who, p), body: p.text });
      }),
      fcOptions(),
    );
  });

  it('POST /api/v1/batch/runs/:batchRunId/finish', async () => {
    const body = bodyWith({ status: fc.constantFrom('completed', 'failed', 'partial', 'running', ''), completed_jobs: count, failed_jobs: count });
    const valid = fc.record({ status: fc.constantFrom('completed', 'failed', 'partial'), completed_jobs: validCount, failed_jobs: validCount }, { requiredKeys: ['status'] });
    await fc.assert(
      fc.asyncProperty(auth('service', ['admin']), runId, payload(mix(valid, body)), query, async (who, id, p, q) => {
        const path = `/api/v1/batch/runs/${await resolveId(id)}/finish${q}`;
        await write('finish', { method: 'POST', path, headers: headersFor(who, p), body: p.text });
      }),
      fcOptions(),
    );
  });

  it('POST /api/v1/onboarding/:portfolioId/batch', async () => {
    const body = bodyWith({ batch_run_id: hostileString(), owner_id: hostileString() });
    const portfolio = segment(fc.constantFrom(P1, P2, '00000000-0000-0000-0000-000000000000', `{${P1}}`)).chain((id) =>
      fc.oneof({ arbitrary: fc.constant(id), weight: 3 }, { arbitrary: fc.uuid().map((u) => u), weight: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(auth('user', ['admin']), portfolio, payload(body), query, async (who, id, p, q) => {
        await write('onboard', { method: 'POST', path: `/api/v1/onboarding/${id}/batch${q}`, headers: headersFor(who, p), body: p.text });
      }),
      fcOptions(Math.ceil(NUM_RUNS / 2)),
    );
  });

  it('GET /api/v1/onboarding/status/:portfolioId', async () => {
    await fc.assert(
      fc.asyncProperty(auth('user', ['admin', 'other-user']), portfolioId, fc.oneof(fc.constant(''), query), fc.boolean(), async (who, id, q, second) => {
        await read('status', second, { method: 'GET', path: `/api/v1/onboarding/status/${id}${q}`, headers: headersFor(who) });
      }),
      fcOptions(),
    );
  });

  it('GET /api/v1/onboarding/status/:portfolioId/logs', async () => {
    const q = queryFor(
      { format: fc.constantFrom('txt', 'json', 'ndjson'), batch_run_id: fc.constantFrom('seed-open', 'seed-done', 'seed-other') },
      { format: fc.constantFrom('txt', 'json', 'ndjson', 'xml'), batch_run_id: hostileString(20) },
    );
    await fc.assert(
      fc.asyncProperty(auth('user', ['admin', 'other-user']), portfolioId, q, fc.boolean(), async (who, id, qs, second) => {
        await read('owner-logs', second, { method: 'GET', path: `/api/v1/onboarding/status/${id}/logs${qs}`, headers: headersFor(who) });
      }),
      fcOptions(),
    );
  });

  it('GET /api/v1/admin/batch/history', async () => {
    const q = queryFor(
      { status: fc.constantFrom('running', 'completed', 'failed', 'partial'), portfolio_id: fc.constantFrom(P1, P2), limit: fc.integer({ min: 1, max: 200 }).map(String), cursor: fc.constant(VALID_CURSOR) },
      {
        status: fc.constantFrom('RUNNING', '', 'interrupted'),
        portfolio_id: hostileString(36),
        limit: fc.oneof(fc.integer({ min: -5, max: 300 }).map(String), fc.constantFrom('1e2', '0x10', '1.5', '')),
        cursor: fc.oneof(cursorText, hostileString(40)),
      },
    );
    await fc.assert(
      fc.asyncProperty(auth('admin'), q, fc.boolean(), async (who, qs, second) => {
        await read('history', second, { method: 'GET', path: `/api/v1/admin/batch/history${qs}`, headers: headersFor(who) });
      }),
      fcOptions(),
    );
  });

  it('GET /api/v1/admin/batch/history/:batchRunId and .../logs/count', async () => {
    await fc.assert(
      fc.asyncProperty(auth('admin'), readRunId, fc.boolean(), fc.oneof(fc.constant(''), query), fc.boolean(), async (who, id, countRoute, q, second) => {
        const path = `/api/v1/admin/batch/history/${id}${countRoute ? '/logs/count' : ''}${q}`;
        await read(countRoute ? 'count' : 'details', second, { method: 'GET', path, headers: headersFor(who) });
      }),
      fcOptions(),
    );
  });

  it('GET /api/v1/admin/batch/history/:batchRunId/logs', async () => {
    const q = queryFor(
      {
        format: fc.constantFrom('json', 'txt', 'ndjson'),
        level: fc.constantFrom(...LEVELS),
        phase: fc.oneof(fc.constantFrom('Load', 'Score'), hostileString(20).filter((p) => p.length > 0 && !p.includes('\u0000'))),
        after_seq: fc.integer({ min: 0, max: 5 }).map(String),
        limit: fc.integer({ min: 1, max: 5 }).map(String),
      },
      {
        format: fc.constantFrom('csv', 'JSON', ''),
        level: hostileString(8),
        phase: hostileString(20),
        after_seq: fc.oneof(fc.integer({ min: -2, max: 5 }).map(String), fc.constantFrom('99999999999', '1e3', '2147483648', '')),
        limit: fc.oneof(fc.integer({ min: -1, max: 5 }).map(String), fc.constantFrom('1000001', '1e6', '')),
      },
    );
    await fc.assert(
      fc.asyncProperty(auth('admin'), readRunId, q, fc.boolean(), async (who, id, qs, second) => {
        await read('admin-logs', second, { method: 'GET', path: `/api/v1/admin/batch/history/${id}/logs${qs}`, headers: headersFor(who) });
      }),
      fcOptions(),
    );
  });

  it('GET /api/v1/admin/batch/history/:batchRunId/timeline', async () => {
    const q = queryFor(
      { at: isoDate },
      { at: fc.oneof(fc.constantFrom('2020-W01-1', '2020-01-01T00:00:00,5Z', '2020-001', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59-01:00', '+275760-09-13T00:00:00.000Z', 'yesterday'), hostileString(20)) },
    );
    await fc.assert(
      fc.asyncProperty(auth('admin'), readRunId, q, fc.boolean(), async (who, id, qs, second) => {
        await read('timeline', second, { method: 'GET', path: `/api/v1/admin/batch/history/${id}/timeline${qs}`, headers: headersFor(who) });
      }),
      fcOptions(),
    );
  });

  it('GET /api/v1/admin/batch/history/:batchRunId/events (SSE: status and headers only)', async () => {
    const q = queryFor(
      { speed: fc.constantFrom('1', '0.01', '10000', '2.5') },
      { speed: fc.oneof(fc.double({ noNaN: false }).map(String), fc.constantFrom('0', '10001', '1e-400', '', 'fast')) },
    );
    const lastEventId = fc.oneof(fc.constant(undefined), fc.constantFrom('0', '1', '999999999', '9999999999', '-1', '1.5', ''), fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength: 20 }));
    await fc.assert(
      fc.asyncProperty(auth('admin'), readRunId, q, lastEventId, fc.boolean(), async (who, id, qs, last, second) => {
        const headers = headersFor(who, undefined, { Accept: 'text/event-stream', ...(last === undefined ? {} : { 'Last-Event-ID': last }) });
        await read('events', second, { method: 'GET', path: `/api/v1/admin/batch/history/${id}/events${qs}`, headers, sse: true });
      }),
      fcOptions(),
    );
  });

  /** One request, JSON in and out, through the writer (or the second instance). */
  async function call(method: string, path: string, who: Who, body?: unknown, second = false): Promise<RawResponse & { json: any }> {
    const text = body === undefined ? undefined : typeof body === 'string' ? body : toJsonText(body);
    const req: RawRequest = { method, path, headers: headersFor(who, text === undefined ? undefined : { contentType: 'application/json', text }), body: text };
    const res = await send((second ? t2 : t).baseUrl, req);
    checkResponse(req, res);
    let json: unknown = null;
    try {
      json = JSON.parse(res.body);
    } catch {
      // not JSON: a download
    }
    return { ...res, json };
  }

  describe('the inputs the properties found answering 500 (or worse), now 4xx or stored as the rules say', () => {
    it('a body nested thousands of levels deep is a 400, not a stack overflow', async () => {
      for (const text of [`{"entries":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, `{"phases":[${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}]}`]) {
        const before = await counts();
        for (const path of ['/api/v1/batch/runs', '/api/v1/batch/runs/seed-open/logs', '/api/v1/batch/runs/seed-open/finish']) {
          const res = await call('POST', path, 'service', text);
          expect([res.status, res.json?.message]).toEqual([400, expect.stringContaining('nests')]);
        }
        expect(await counts()).toBe(before);
      }
      // 32 levels are fine (and then refused for what they hold)
      const ok = await call('POST', '/api/v1/batch/runs', 'service', `{"phases":[${'['.repeat(30)}${']'.repeat(30)}]}`);
      expect(ok.status).toBe(400);
      expect(ok.json.message).not.toEqual(expect.stringContaining('nests'));
    });

    it('NUL in owner_id or an admin phase filter is a 400; integers past PostgreSQL integer are a 400', async () => {
      const before = await counts();
      const cases: Array<[string, string, unknown]> = [
        ['POST', '/api/v1/batch/runs', { owner_id: 'a\u0000b' }],
        ['POST', '/api/v1/batch/runs', { total_jobs: 2 ** 31 }],
        ['POST', '/api/v1/batch/runs', { total_jobs: 2 ** 40 }],
        ['POST', '/api/v1/batch/runs/seed-open/phases/Load/complete', { completed_jobs: 2 ** 31 }],
        ['POST', '/api/v1/batch/runs/seed-open/phases/Load/complete', { failed_jobs: 2 ** 53 - 1 }],
        ['POST', '/api/v1/batch/runs/seed-open/finish', { status: 'completed', completed_jobs: 2 ** 33 }],
        ['POST', '/api/v1/batch/runs/seed-open/logs', { entries: [{ level: 'info', message: 'x', timestamp: '9999-12-31T23:59:59-01:00' }] }],
      ];
      for (const [method, path, body] of cases) {
        const res = await call(method, path, 'service', body);
        expect([path, body, res.status]).toEqual([path, body, 400]);
      }
      expect(await counts()).toBe(before);
      for (const second of [false, true]) {
        for (const q of ['phase=%00', 'phase=a%00', 'after_seq=2147483648', 'after_seq=99999999999']) {
          const res = await call('GET', `/api/v1/admin/batch/history/seed-open/logs?${q}`, 'admin', undefined, second);
          expect([q, second, res.status]).toEqual([q, second, 400]);
        }
      }
    });

    it('a lone surrogate in owner_id or a phase name is stored as U+FFFD (UTF-8 cannot hold it), like in a message', async () => {
      const start = await call('POST', '/api/v1/batch/runs', 'service', { batch_run_id: 'lone-surrogates', owner_id: 'own\ud800er', phases: ['Lo\udfffad'] });
      expect(start.status).toBe(201);
      const append = await call('POST', '/api/v1/batch/runs/lone-surrogates/logs', 'service', { entries: [{ level: 'info', message: 'm\ud83d', phase: 'Sc\ud800ore' }] });
      expect(append.status).toBe(201);
      const complete = await call('POST', `/api/v1/batch/runs/lone-surrogates/phases/${pct('Lo\ufffdad')}/complete`, 'service', {});
      expect(complete.status).toBe(200);
      for (const second of [false, true]) {
        const details = await call('GET', '/api/v1/admin/batch/history/lone-surrogates', 'admin', undefined, second);
        expect(details.json.owner_id).toBe('own\ufffder');
        expect(details.json.phases.map((p: { name: string; status: string }) => [p.name, p.status])).toEqual([
          ['Lo\ufffdad', 'completed'],
          ['Sc\ufffdore', 'running'],
        ]);
        const log = await call('GET', '/api/v1/admin/batch/history/lone-surrogates/logs', 'admin', undefined, second);
        expect(log.json.entries.map((e: { phase: string; message: string }) => [e.phase, e.message])).toEqual([['Sc\ufffdore', 'm\ufffd']]);
      }
    });

    it('cursors and moments that JavaScript reads but PostgreSQL (or Date) does not are a 400', async () => {
      const cursor = (pair: unknown[]) => Buffer.from(JSON.stringify(pair)).toString('base64url');
      for (const pair of [['0', 'x'], ['March 7', 'x'], ['2020/01/01', 'x'], ['2020-01-01T00:00:00.000Z', 'x\u0000'], ['0000-01-01T00:00:00.000Z', 'x']]) {
        const res = await call('GET', `/api/v1/admin/batch/history?cursor=${cursor(pair)}`, 'admin');
        expect([pair, res.status]).toEqual([pair, 400]);
      }
      const page = await call('GET', '/api/v1/admin/batch/history?limit=1', 'admin');
      const next = await call('GET', `/api/v1/admin/batch/history?limit=1&cursor=${page.json.next_cursor}`, 'admin');
      expect(next.status).toBe(200); // a cursor the API gave out still works
      for (const at of ['2020-W01-1', '2020-01-01T00:00:00,5Z', '9999-12-31T23:59:59-01:00']) {
        const res = await call('GET', `/api/v1/admin/batch/history/seed-open/timeline?at=${pct(at)}`, 'admin');
        expect([at, res.status]).toEqual([at, 400]);
      }
    });

    it('an upper-case portfolio id names the same portfolio as its lower-case form', async () => {
      const upper = P1.toUpperCase();
      const status = await call('GET', `/api/v1/onboarding/status/${upper}`, 'user');
      expect([status.status, status.json.portfolio_id]).toEqual([200, P1]);
      const named = await call('GET', `/api/v1/onboarding/status/${upper}/logs?format=json&batch_run_id=seed-done`, 'user');
      expect([named.status, named.json?.batch_run_id]).toEqual([200, 'seed-done']);
    });

    // Known, outside the HTTP layer (reported): each count is capped at 2^31-1 by the DTOs, but the run's
    // completed_jobs is the sum of its phases' and overflows the integer column; the decider should refuse it.
    it('phase counts whose sum would pass 2^31-1 answer 400 and change nothing', async () => {
      await t.commandBus.execute(new StartBatchRunCommand({ batchRunId: 'int4-sum', phases: ['A', 'B'] }) as never);
      expect((await call('POST', '/api/v1/batch/runs/int4-sum/phases/A/complete', 'service', { completed_jobs: 2 ** 31 - 1 })).status).toBe(200);
      expect((await call('POST', '/api/v1/batch/runs/int4-sum/phases/B/complete', 'service', { completed_jobs: 2 ** 31 - 1 })).status).toBe(400);
    });
  });

  it('any method on any path: never a 5xx, never an unsafe header', async () => {
    const prefix = fc.constantFrom('/api/v1/batch/runs/', '/api/v1/admin/batch/history/', '/api/v1/onboarding/', '/api/v1/onboarding/status/', '/health', '/api/', '/');
    const tail = fc.array(segment(fc.constantFrom('seed-open', P1, 'logs', 'count', 'timeline', 'events', 'finish', 'phases', 'complete', 'batch')), { maxLength: 4 }).map((s) => s.join('/'));
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
    await fc.assert(
      fc.asyncProperty(auth('admin', ['service', 'user']), method, prefix, tail, query, payload(anyValue), async (who, m, pre, rest, q, p) => {
        const path = `${pre}${rest}${q}`;
        const isEvents = /\/events(\?|$)/.test(path);
        const req = { method: m, path, headers: headersFor(who, m === 'GET' || m === 'HEAD' ? undefined : p), body: m === 'GET' || m === 'HEAD' ? undefined : p.text, sse: isEvents };
        await write('any', req);
      }),
      fcOptions(),
    );
  });
});
