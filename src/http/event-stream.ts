/**
 * Writes Server-Sent Events to one client at the pace it reads them. Nest's @Sse() subscribes to
 * an Observable and writes whatever it emits into the socket's buffer, so a client that stops
 * reading makes the server hold everything that follows (a finished 100,000-entry run per client):
 * here every write waits for the buffer to drain first, so a stalled client costs one event beyond
 * the socket's high-water mark, and the source is not read further until it drains. A client that
 * has not drained for HTTP_IDLE_TIMEOUT_SECONDS is closed (it resumes with Last-Event-ID). A comment line every SSE_HEARTBEAT_SECONDS keeps a quiet stream alive for proxies
 * and for that timeout; it is skipped while a write is waiting.
 */
import type { Response } from 'express';
import { endOrDestroy, isClosed, writeOrWait } from './backpressure';

export interface EventFrame {
  id: string;
  event: string;
  /** One line of JSON (no raw line breaks: JSON escapes them). */
  data: string;
}

export class EventStream {
  private waiting = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: Response,
    heartbeatMs: number,
    private readonly stallMs: number,
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, no-transform',
      Connection: 'keep-alive',
      // Proxies that buffer responses (nginx) would hold the events back.
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.flushHeaders();
    this.heartbeat = setInterval(() => {
      if (!this.waiting && !this.closed) res.write(': keepalive\n\n');
    }, heartbeatMs);
    this.heartbeat.unref();
    res.once('close', () => clearInterval(this.heartbeat));
  }

  get closed(): boolean {
    return isClosed(this.res);
  }

  /** Resolves once the frame is handed to the socket below its high-water mark; false if the client is gone. */
  async send(frame: EventFrame): Promise<boolean> {
    this.waiting = true;
    try {
      return await writeOrWait(this.res, `id: ${frame.id}\nevent: ${frame.event}\ndata: ${frame.data}\n\n`, this.stallMs);
    } finally {
      this.waiting = false;
    }
  }

  end(): void {
    clearInterval(this.heartbeat);
    endOrDestroy(this.res, this.stallMs);
  }

  /** The server could not go on (the database went away): cut the connection so the client reconnects. */
  fail(): void {
    clearInterval(this.heartbeat);
    this.res.destroy();
  }
}

