/**
 * The process's one LISTEN/NOTIFY connection: it tells this instance's followers at once which runs
 * got new committed events (as a commit listener), names those runs to the other instances on the
 * same database after the commit (NOTIFY), and hears theirs (LISTEN). Reconnected with backoff; after
 * a reconnect every follower is told to look again, since notifications sent meanwhile are gone, and
 * the streams committed meanwhile are named then.
 *
 * The NOTIFY is sent after the commit, not inside the commit statement, because PostgreSQL
 * serialises notifying commits through their WAL flush (SQL.commitGroup says how much that cost). A
 * notification is only a hint when to look: followers read by version and poll now and then, so one
 * lost with a crash between the commit and its NOTIFY delays a follower by at most its poll.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { Observable, Subject, filter } from 'rxjs';
import { isDatabaseUnavailable } from '../../database/database-errors';
import { DATABASE_URL } from '../../database/pg-pool';
import { RecordedRunEvent } from '../domain/run.events';
import { CommitListener } from './commit-listener';
import { NotifyBacklog } from './notify-backlog';
import { EVENTS_CHANNEL, SQL } from './run.sql';
import { ALL_STREAMS, StreamSignal } from './stream-signal';

const MAX_BACKOFF_MS = 5000;
/** Streams kept by name while the connection is down; past this, one '*' is sent instead. */
const MAX_OWED_STREAMS = 1000;
/**
 * How long commits are gathered into one NOTIFY statement. Sent at every commit, the statements were
 * 12% of the process's time with single-line appends (a round trip per group); 10 ms is far below
 * what a person watching a live tail in another instance notices.
 */
const NOTIFY_GATHER_MS = 10;

@Injectable()
export class EventNotifier implements CommitListener, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventNotifier.name);
  private readonly signals = new Subject<StreamSignal>();
  private readonly owed = new NotifyBacklog(MAX_OWED_STREAMS);
  /** Clients already given up on ('error', 'end' and a failed query can all report one loss). */
  private readonly retired = new WeakSet<Client>();
  private client: Client | null = null;
  private sending: Promise<void> | null = null;
  private gathering: NodeJS.Timeout | null = null;
  private stopped = false;
  private backoffMs = 100;

  constructor(@Inject(DATABASE_URL) private readonly url: string) {}

  onModuleInit(): void {
    void this.connect();
  }

  /** Signals for one run (or for all, after a reconnect). */
  changesOf(streamId: string): Observable<StreamSignal> {
    return this.signals.pipe(filter((s) => s === streamId || s === ALL_STREAMS));
  }

  /** Called after each group commit of this instance: this instance's followers look now, the others once the NOTIFY is sent. */
  onCommitted(events: RecordedRunEvent[]): void {
    for (const streamId of new Set(events.map((e) => e.streamId))) {
      this.signals.next(streamId);
      this.owed.add(streamId);
    }
    this.gathering ??= setTimeout(() => {
      this.gathering = null;
      this.send();
    }, NOTIFY_GATHER_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.gathering) clearTimeout(this.gathering);
    this.gathering = null;
    await this.sending; // what was committed last is named before the connection closes
    this.send();
    await this.sending;
    this.stopped = true;
    this.signals.complete();
    await this.client?.end().catch(() => undefined);
  }

  /** Sends what is owed, one statement at a time: what commits meanwhile goes in the next one. */
  private send(): void {
    const client = this.client;
    if (this.sending || !client || this.owed.isEmpty) return;
    const streams = this.owed.take();
    this.sending = client
      .query({ ...SQL.notifyStreams, values: [streams] })
      .then(
        () => undefined,
        (error: unknown) => {
          const connectionLost = isDatabaseUnavailable(error) || this.retired.has(client);
          if (!connectionLost) return void this.logger.warn(`NOTIFY failed (${(error as Error).message}); followers elsewhere poll`);
          this.owed.restore(streams); // sent again once reconnected
          this.retire(client);
        },
      )
      .finally(() => {
        this.sending = null;
        if (!this.gathering) this.send(); // what committed while this one was sent
      });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: 'runlog-listen' });
    client.on('notification', (n: Notification) => {
      if (n.processId === backendPid(client)) return; // our own NOTIFY: this instance's followers were told at the commit
      this.signals.next(n.payload ?? ALL_STREAMS);
    });
    client.on('error', () => this.retire(client));
    client.on('end', () => this.retire(client));
    try {
      await client.connect();
      // This connection's commits carry only notifications: they need not wait for a WAL flush.
      await client.query(`SET synchronous_commit TO off; LISTEN ${EVENTS_CHANNEL}`);
      if (this.stopped) return void client.end().catch(() => undefined);
      this.client = client;
      this.backoffMs = 100;
      this.signals.next(ALL_STREAMS); // whatever happened while not listening: look again
      this.send();
    } catch (error) {
      this.logger.warn(`LISTEN failed (${(error as Error).message}); retrying`);
      this.retire(client);
    }
  }

  private retire(client: Client): void {
    if (this.retired.has(client)) return;
    this.retired.add(client);
    if (this.client === client) this.client = null;
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}

/** The server process of a connected client (pg keeps it from BackendKeyData, untyped). */
function backendPid(client: Client): number | undefined {
  return (client as unknown as { processID?: number }).processID;
}
