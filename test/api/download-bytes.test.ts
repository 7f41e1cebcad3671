/**
 * The bytes of every download format are the same whichever source serves the log: memory (the
 * writer's cache), the snapshot (PostgreSQL's jsonb text passed through, test/…/snapshot-text.ts), the
 * snapshot followed by the entry table, and the entry table alone. Messages and phases hold what could
 * break a pass-through: quotes, backslashes, unicode beyond the BMP, every kind of control character
 * and line break, text that looks like the next entry, and trace and span ids. The expected bytes come
 * from the reference formatting below (the formats as they were before the pass-through: JSON.stringify
 * of the entry object, the TXT line built by replacements).
 */
import request from 'supertest';
import { AppendLogEntriesCommand } from '../../src/batch-runs/commands/append-log-entries/append-log-entries.command';
import { RunReadRepository } from '../../src/batch-runs/persistence/run-read.repository';
import { snapshotEntries, snapshotJson, SnapshotText } from '../../src/batch-runs/read/formats/snapshot-text';
import { entryJson, txtLine } from '../../src/batch-runs/read/formats/log-format';
import { StoredLogEntry } from '../../src/batch-runs/domain/run.events';
import { stripAnsi } from '../../src/batch-runs/domain/ansi';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, download } from './api-helpers';

const P1 = 'extract "raw" \\ ü';
const P2 = 'load\tstage\n2 🚀';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

interface Line {
  level: 'info' | 'warning' | 'error';
  message: string;
  traceId?: string;
  spanId?: string;
}

const AWKWARD: Line[] = [
  { level: 'info', message: 'plain' },
  { level: 'warning', message: 'quotes "double" and \'single\', backslash \\ and \\" and \\\\n, trailing \\' },
  { level: 'error', message: 'unicode é ß 数据 مرحبا שלום 🚀 \u{1F600} \u00a0nbsp \ufeffbom \uffff' },
  { level: 'info', message: 'controls \u0001 \u0007 \b \f \u000b \u001b[31mred\u001b[0m \u001f \u007f \u0080 \u009b \u009f' },
  { level: 'info', message: 'breaks: LF\nCRLF\r\nCR\rNEL\u0085LS\u2028PS\u2029end\n' },
  { level: 'info', message: 'tab\there\t\tand "json" inside: {"seq": 99, "level": "info"}, {"seq": 100}]' },
  { level: 'warning', message: ' ', traceId: TRACE, spanId: SPAN },
  { level: 'info', message: 'trace only: "x"\n\tat frame', traceId: TRACE },
  { level: 'error', message: 'span only \\u0041', spanId: SPAN },
  { level: 'info', message: '   leading and trailing spaces   ' },
  { level: 'info', message: '</script><!-- & \u2028 -->' },
];

/** The formats as they were: the reference every source must match byte for byte. */
function referenceJson(e: StoredLogEntry): string {
  const json = JSON.stringify({ seq: e.seq, timestamp: e.timestamp, level: e.level, phase: e.phase, message: e.message });
  const trace = `${e.traceId ? `,"trace_id":"${e.traceId}"` : ''}${e.spanId ? `,"span_id":"${e.spanId}"` : ''}`;
  return e.traceId || e.spanId ? `${json.slice(0, -1)}${trace}}` : json;
}
const LINE_BREAKS = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/g;
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
const oneLine = (text: string) => text.replace(CONTROLS, ' ').replace(/\t/g, ' ').replace(LINE_BREAKS, ' ');
/** ansi=strip (the default) removes escape sequences first (domain/ansi.ts), then controls are escaped as before. */
function referenceTxt(e: StoredLogEntry): string {
  const message = stripAnsi(e.message)
    .replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\t/g, '    ')
    .replace(LINE_BREAKS, '\n    ');
  const phase = e.phase === null ? '' : ` [${oneLine(e.phase)}]`;
  const trace = `${e.traceId ? ` trace_id=${e.traceId}` : ''}${e.spanId ? ` span_id=${e.spanId}` : ''}`;
  return `${e.timestamp} ${e.level.toUpperCase()}${phase}${trace} ${message}\n`;
}

/** The stored entries of a run written by writeRun: seqs from 1, the timestamps given. */
function expectedEntries(parts: Array<{ phase: string | null; lines: Line[] }>): StoredLogEntry[] {
  const out: StoredLogEntry[] = [];
  for (const { phase, lines } of parts) {
    for (const l of lines) {
      const seq = out.length + 1;
      const e: StoredLogEntry = { seq, timestamp: timestampOf(seq), level: l.level, phase, message: l.message };
      if (l.traceId) e.traceId = l.traceId;
      if (l.spanId) e.spanId = l.spanId;
      out.push(e);
    }
  }
  return out;
}
const timestampOf = (seq: number) => new Date(Date.UTC(2026, 0, 11, 14, 7, 0, seq)).toISOString();

describe('download bytes are the same from every source', () => {
  let t: TestApp;
  let second: TestApp;
  let admin: string;
  let service: string;

  async function post(path: string, body: object, status: number): Promise<void> {
    const res = await request(t.baseUrl).post(path).set('Authorization', service).send(body);
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${res.text}`);
  }

  async function append(id: string, phase: string | null, lines: Line[], firstSeq: number): Promise<void> {
    const entries = lines.map((l, k) => ({ ...l, phase, seq: firstSeq + k, timestamp: timestampOf(firstSeq + k) }));
    await t.commandBus.execute(new AppendLogEntriesCommand({ batchRunId: id, entries }));
  }

  /** `completeAfter`: how many of the parts end with their phase completed; `finish`: the run too. */
  async function writeRun(id: string, parts: Array<{ phase: string; lines: Line[] }>, completeAfter: number, finish: boolean): Promise<void> {
    await post('/api/v1/batch/runs', { batch_run_id: id, total_jobs: 2, phases: [P1, P2] }, 201);
    let seq = 1;
    for (let i = 0; i < parts.length; i++) {
      await append(id, parts[i].phase, parts[i].lines, seq);
      seq += parts[i].lines.length;
      if (i < completeAfter) await post(`/api/v1/batch/runs/${encodeURIComponent(id)}/phases/${encodeURIComponent(parts[i].phase)}/complete`, { completed_jobs: 1 }, 200);
    }
    if (finish) await post(`/api/v1/batch/runs/${encodeURIComponent(id)}/finish`, { status: 'completed' }, 200);
  }

  const PARTS = [
    { phase: P1, lines: AWKWARD },
    { phase: P2, lines: [...AWKWARD].reverse() },
  ];
  const EXPECTED = expectedEntries(PARTS);

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    admin = await bearer('admin', 'admin-1');
    service = await bearer('service', 'producer');
    await writeRun('bytes-done', PARTS, 2, true); // snapshot of every entry
    await writeRun('bytes-mixed', PARTS, 1, false); // snapshot of the first part, the rest in the entry table
    await writeRun('bytes-open', PARTS, 0, false); // no snapshot: the entry table
    second = await startTestApp({ db: t.db, listen: true }); // no cache: the database serves
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const logs = async (app: TestApp, id: string, format: string) => {
    const res = await download(app, `/api/v1/admin/batch/history/${id}/logs?format=${format}`, admin);
    expect(res.status).toBe(200);
    return res.body as string;
  };
  const cases: Array<[string, () => TestApp, string]> = [
    ['memory', () => t, 'bytes-done'],
    ['snapshot', () => second, 'bytes-done'],
    ['snapshot', () => second, 'bytes-mixed'],
    ['entries', () => second, 'bytes-open'],
  ];

  it.each(cases)('ndjson from %s (%s)', async (source, app, id) => {
    const body = await logs(app(), id, 'ndjson');
    expect(body).toBe(EXPECTED.map((e) => `${referenceJson(e)}\n`).join(''));
    expect((await logs(app(), id, 'json')).includes(`"source":"${source}"`)).toBe(true);
  });

  it.each(cases)('json from %s (%s)', async (source, app, id) => {
    const body = await logs(app(), id, 'json');
    const run = JSON.parse(body);
    expect(run.source).toBe(source);
    const tail = { entry_count: undefined, first_seq: undefined, last_seq: undefined, total_entries: undefined, dropped_entries: undefined, next_after_seq: undefined };
    const head = JSON.stringify({ ...run, entries: undefined, ...tail }).slice(0, -1);
    const completeness = `"first_seq":1,"last_seq":${EXPECTED.length},"total_entries":${EXPECTED.length},"dropped_entries":0,"next_after_seq":null`;
    expect(body).toBe(`${head},"entries":[${EXPECTED.map(referenceJson).join(',')}],"entry_count":${EXPECTED.length},${completeness}}\n`);
    expect(run.entries).toEqual(JSON.parse(`[${EXPECTED.map(referenceJson).join(',')}]`));
  });

  it.each(cases)('txt from %s (%s)', async (source, app, id) => {
    const body = await logs(app(), id, 'txt');
    const rule = `${'-'.repeat(72)}\n`;
    const [header, entries] = [body.slice(0, body.indexOf(rule)), body.slice(body.indexOf(rule) + rule.length)];
    expect(header).toContain(`Source:      ${source}\n`);
    expect(entries).toBe(`${EXPECTED.map(referenceTxt).join('')}-- entries 1-${EXPECTED.length} of ${EXPECTED.length}, complete\n`);
  });

  it('the same bytes from every source, headers aside', async () => {
    for (const format of ['json', 'ndjson', 'txt']) {
      const bodies = await Promise.all(cases.map(([, app, id]) => logs(app(), id, format)));
      const strip = (b: string) => b.replace(/"source":"\w+"|Source: +\w+/, '').replace(/^.*"entries":/s, '').replace(/^[\s\S]*?-{72}\n/, '');
      expect(new Set(bodies.map(strip)).size).toBe(1);
    }
  });

  it('a slice of the snapshot (a page that is not all of it) reads the same entries', async () => {
    const repository = second.app.get(RunReadRepository);
    const pages: SnapshotText[] = [];
    for await (const page of repository.streamSnapshot('bytes-done', 5)) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0].count).toBe(5);
    expect(snapshotEntries(pages[0])).toEqual(EXPECTED.slice(0, 5));
    expect(snapshotJson(pages[0], ',')).toEqual({ text: EXPECTED.slice(0, 5).map(referenceJson).join(','), count: 5 });
    expect(snapshotJson(pages[0], '\n')).toEqual({ text: EXPECTED.slice(0, 5).map(referenceJson).join('\n'), count: 5 });
  });

  it('readAll and the entries iterator give the entries themselves from every source', async () => {
    for (const [source, app, id] of cases) {
      const log = await app().reader.readAll(id);
      expect(log?.source).toBe(source);
      // An absent id may be held as '' or null (memory, entry rows); every format treats it as absent.
      const withoutEmpty = log!.entries.map((e) => Object.fromEntries(Object.entries(e).filter(([k, v]) => !((k === 'traceId' || k === 'spanId') && (v === '' || v === null)))));
      expect(withoutEmpty).toEqual(EXPECTED);
    }
  });
});

describe('snapshot text pass-through (unit)', () => {
  const e1: StoredLogEntry = { seq: 1, timestamp: '2026-01-01T00:00:00.000Z', level: 'info', phase: 'p "1"', message: 'a\\b "c"\n\u0001' };
  const e2: StoredLogEntry = { seq: 2, timestamp: '2026-01-01T00:00:00.001Z', level: 'error', phase: null, message: 'x', traceId: TRACE, spanId: SPAN };

  it('matches entryJson and txtLine for what it scans', () => {
    // jsonb's own text of [e1, e2] (keys by length, then bytes; ": " and ", ").
    const text =
      '[{"seq": 1, "level": "info", "phase": "p \\"1\\"", "message": "a\\\\b \\"c\\"\\n\\u0001", "timestamp": "2026-01-01T00:00:00.000Z"}, ' +
      `{"seq": 2, "level": "error", "phase": null, "spanId": "${SPAN}", "message": "x", "traceId": "${TRACE}", "timestamp": "2026-01-01T00:00:00.001Z"}]`;
    const page = new SnapshotText(text, 2);
    expect(snapshotJson(page, ',')?.text).toBe(`${entryJson(e1)},${entryJson(e2)}`);
    expect(snapshotJson(page, ',')).toEqual({ text: `${referenceJson(e1)},${referenceJson(e2)}`, count: 2 });
    expect(snapshotEntries(page)).toEqual([e1, e2]);
    expect(snapshotEntries(page).map(txtLine)).toEqual([referenceTxt(e1), referenceTxt(e2)]);
  });

  it('declines a text of another shape (the formats then parse it)', () => {
    const one = '{"seq": 1, "level": "info", "phase": null, "message": "m", "timestamp": "t"}';
    for (const text of [`[${one}, {"seq": 2, "extra": 1, "level": "info"}]`, `[${one} ${one}]`, `[, ${one}]`, `[${one}, ${one}x]`, `{${one}}`, `[${one}`]) {
      expect(snapshotJson(new SnapshotText(text, 2), ',')).toBeNull();
    }
    expect(snapshotEntries(new SnapshotText(`[${one}, {"seq": 2, "extra": 1, "level": "info"}]`, 2))).toEqual([
      { seq: 1, level: 'info', phase: null, message: 'm', timestamp: 't' },
      { seq: 2, extra: 1, level: 'info' },
    ]);
    expect(snapshotJson(new SnapshotText('[]', 0), ',')).toEqual({ text: '', count: 0 });
    expect(snapshotJson(new SnapshotText(`[${one}, ${one}]`, 2), '\n')?.text).toBe(`${referenceJson({ seq: 1, level: 'info', phase: null, message: 'm', timestamp: 't' })}\n${referenceJson({ seq: 1, level: 'info', phase: null, message: 'm', timestamp: 't' })}`);
  });

  it('entryJson is JSON.stringify of the entry object', () => {
    for (const e of [e1, e2, { ...e1, phase: undefined as unknown as null }, { ...e2, traceId: '' }]) expect(entryJson(e)).toBe(referenceJson(e));
  });
});
