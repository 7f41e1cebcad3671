/**
 * `runlog`: runs and logs at a terminal, through the Node client. RUNLOG_URL (default
 * http://127.0.0.1:3000) and RUNLOG_TOKEN (or --token) say where and as whom. Errors are one line
 * on stderr and a non-zero exit, never a stack trace. (`runlog token` is answered by bin/runlog.js,
 * which runs the server's own token script: signing needs the server's secret, not this client.)
 */
import { parseArgs, ParseArgsConfig } from 'util';
import { RunlogClient } from './client';
import { RunlogHttpError } from './http';
import { FollowedEntry, RunSummary } from './read';

const USAGE = `usage: runlog <command> [options]

commands:
  runs [--status S] [--portfolio P] [--limit N] [--json]   runs, newest first
  logs <batch_run_id> [--format txt|json|ndjson] [--level L] [--phase P] [--follow]
                                                          a run's log; --follow prints lines as they are
                                                          committed and exits when the run finishes
                                                          (0 if it completed, 1 otherwise)
  token --role admin|user|service [--sub S] [--ttl T]     a bearer token signed with the server's secret

options for every command:
  --token T   bearer token (default: RUNLOG_TOKEN)
  --url U     runlog's address (default: RUNLOG_URL or http://127.0.0.1:3000)
  --help      this text, or a command's`;

const COMMON = {
  token: { type: 'string' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

const DEFAULT_URL = 'http://127.0.0.1:3000';

/** Where the command talks to and why there: said when runlog cannot be reached. */
let target: { url: string; from: string } | null = null;

export async function main(argv: string[], out: NodeJS.WriteStream = process.stdout): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  try {
    if (command === 'runs') return await runs(rest, out);
    if (command === 'logs') return await logs(rest, out);
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    process.stderr.write(`runlog: ${describe(error)}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    return 2;
  }
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...options }, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`);
  return parsed;
}

function clientFrom(values: { token?: unknown; url?: unknown }): { client: RunlogClient; baseUrl: string } {
  const token = (values.token as string | undefined) ?? process.env.RUNLOG_TOKEN;
  if (!token) throw new UsageError('no token: set RUNLOG_TOKEN or pass --token (a token: runlog token --role admin)');
  const flag = values.url as string | undefined;
  const fromEnv = process.env.RUNLOG_URL || undefined;
  const baseUrl = flag ?? fromEnv ?? DEFAULT_URL;
  target = { url: baseUrl, from: flag !== undefined ? '--url' : fromEnv !== undefined ? 'RUNLOG_URL' : 'the default; set RUNLOG_URL or pass --url' };
  // A person is waiting: a server that does not answer is an error after a while, not a retry for ever.
  return { client: new RunlogClient({ baseUrl, token, giveUpAfterMs: 10_000, maxBackoffMs: 2000 }), baseUrl };
}

async function runs(args: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values } = parse(args, { status: { type: 'string' }, portfolio: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return help(out, 'runs [--status running|completed|failed|partial] [--portfolio UUID] [--limit N] [--json]');
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!/^\d+$/.test(values.limit ?? '50') || limit < 1) throw new UsageError('--limit must be a whole number ≥ 1');
  const { client } = clientFrom(values);
  const list = await client.listRuns({ status: values.status, portfolioId: values.portfolio, limit });
  if (values.json) {
    out.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  out.write(table(list, Boolean(out.isTTY)));
  return 0;
}

async function logs(args: string[], out: NodeJS.WriteStream): Promise<number> {
  const { values, positionals } = parse(
    args,
    { format: { type: 'string' }, level: { type: 'string' }, phase: { type: 'string' }, follow: { type: 'boolean', short: 'f' } },
    1,
  );
  if (values.help) return help(out, 'logs <batch_run_id> [--format txt|json|ndjson] [--level info|warning|error] [--phase P] [--follow]');
  const id = positionals[0];
  if (!id) throw new UsageError('logs needs a batch_run_id');
  const { client } = clientFrom(values);
  if (values.follow) {
    await client.run(id); // an unknown run or a bad token is said at once, not after a reconnect loop
    for await (const entry of client.follow(id)) {
      if ((values.level && entry.level !== values.level) || (values.phase && entry.phase !== values.phase)) continue;
      out.write(`${line(entry, Boolean(out.isTTY))}\n`);
    }
    const run = await client.run(id);
    return run.status === 'completed' ? 0 : 1;
  }
  const format = (values.format ?? 'txt') as 'txt' | 'json' | 'ndjson';
  if (!['txt', 'json', 'ndjson'].includes(format)) throw new UsageError('--format must be txt, json or ndjson');
  const body = await client.download(id, { format, level: values.level, phase: values.phase });
  for await (const chunk of body) out.write(chunk);
  return 0;
}

function help(out: NodeJS.WriteStream, usage: string): number {
  out.write(`usage: runlog ${usage}\n  --token T, --url U as for every command (RUNLOG_TOKEN, RUNLOG_URL)\n`);
  return 0;
}

const COLOURS: Record<string, string> = { running: '\x1b[36m', completed: '\x1b[32m', failed: '\x1b[31m', partial: '\x1b[33m' };
const LEVEL_COLOURS: Record<string, string> = { warning: '\x1b[33m', error: '\x1b[31m' };
const RESET = '\x1b[0m';

function table(runs: RunSummary[], colour: boolean): string {
  if (runs.length === 0) return 'no runs\n';
  const rows = runs.map((r) => [r.batch_run_id, r.status, r.started_at ?? '', r.completed_at ?? '', String(r.log_entry_count ?? ''), r.current_phase ?? '', r.portfolio_id ?? '']);
  const head = ['BATCH RUN', 'STATUS', 'STARTED', 'COMPLETED', 'ENTRIES', 'PHASE', 'PORTFOLIO'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]);
        return colour && i === 1 && COLOURS[cell] ? `${COLOURS[cell]}${padded}${RESET}` : padded;
      })
      .join('  ')
      .trimEnd();
  return `${[render(head), ...rows.map(render)].join('\n')}\n`;
}

function line(entry: FollowedEntry, colour: boolean): string {
  const level = entry.level.toUpperCase();
  const shown = colour && LEVEL_COLOURS[entry.level] ? `${LEVEL_COLOURS[entry.level]}${level}${RESET}` : level;
  return `${entry.timestamp} ${shown}${entry.phase ? ` [${entry.phase}]` : ''} ${entry.message.replace(/\r?\n/g, '\n    ')}`;
}

function describe(error: unknown): string {
  if (error instanceof RunlogHttpError) {
    const hint = error.status === 401 ? ' (is RUNLOG_TOKEN a valid, unexpired token?)' : error.status === 403 ? ' (this needs a token of role admin)' : '';
    const message = typeof error.body === 'object' && error.body ? error.body.message : error.body;
    return `${error.status}: ${Array.isArray(message) ? message.join('; ') : message}${hint}`;
  }
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  if (/did not answer|fetch failed/.test(e?.message ?? '')) {
    const where = target ? `${target.url} (${target.from})` : DEFAULT_URL;
    return `cannot reach runlog at ${where}${e.cause?.code ? ` (${e.cause.code})` : ''}: ${e.message}`;
  }
  return e?.message ?? String(error);
}
