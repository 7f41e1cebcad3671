/**
 * Hears, through PostgreSQL LISTEN, which runs got new committed events, whichever runlog instance
 * wrote them. One connection per process, reconnected with backoff; after a reconnect every
 * follower is told to re-read, since notifications sent while disconnected are gone.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject, filter } from 'rxjs';
import { DATABASE_URL } from '../../database/pg-pool';
import { EVENTS_CHANNEL } from './run.sql';

/** A stream id, or '*' when every follower should look (after a reconnect). */
export type StreamSignal = string;
export const ALL_STREAMS = '*';

const MAX_BACKOFF_MS = 5000;

@Injectable()
export class EventNotifier implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EventNotifier.name);
  private readonly signals = new Subject<StreamSignal>();
  private client: Client | null = null;
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

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.signals.complete();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: 'runlog-listen' });
    // 'error', 'end' and a failed connect() can all report the same loss: retire the client once,
    // or every loss would schedule several reconnects, and those more again.
    let retired = false;
    const retire = () => {
      if (retired) return;
      retired = true;
      this.reconnectLater(client);
    };
    client.on('notification', (n) => this.signals.next(n.payload ?? ALL_STREAMS));
    client.on('error', retire);
    client.on('end', retire);
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.stopped) return void client.end().catch(() => undefined);
      this.client = client;
      this.backoffMs = 100;
      this.signals.next(ALL_STREAMS); // whatever happened while not listening: look again
    } catch (error) {
      this.logger.warn(`LISTEN failed (${(error as Error).message}); retrying`);
      retire();
    }
  }

  private reconnectLater(client: Client): void {
    if (this.client === client) this.client = null;
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    setTimeout(() => void this.connect(), delay).unref();
  }
}
