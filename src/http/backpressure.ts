/**
 * Writing a response only as fast as its client reads it. res.write() buffers whatever it is given
 * and returns false past the high-water mark; ignoring that is how one client that stops reading
 * makes the server hold everything meant for it. These helpers wait instead.
 */
import type { Response } from 'express';

/**
 * Waits for 'drain' or 'close' (a client that left never drains), leaving no listener behind. A
 * client that has not drained within stallMs is taken for stalled and its connection closed: it
 * holds its share of the server for no one (an event stream resumes with Last-Event-ID).
 */
export function drainedOrClosed(res: Response, stallMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(() => res.destroy(), stallMs);
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes a chunk and, past the high-water mark, waits until it drains; false once the client is gone. */
export async function writeOrWait(res: Response, chunk: string, stallMs: number): Promise<boolean> {
  if (isClosed(res)) return false;
  if (!res.write(chunk)) await drainedOrClosed(res, stallMs);
  return !isClosed(res);
}

/**
 * Ends the response; one whose last bytes are not handed to the socket within stallMs (its client
 * stopped reading before the end) is destroyed, so the response's slot does not wait for it for ever.
 */
export function endOrDestroy(res: Response, stallMs: number): void {
  if (isClosed(res)) return;
  res.end();
  if (res.writableFinished) return;
  const timer = setTimeout(() => res.destroy(), stallMs);
  res.once('close', () => clearTimeout(timer));
}

export function isClosed(res: Response): boolean {
  return res.destroyed || res.writableEnded;
}

/** Collects small pieces into chunks of about CHUNK characters, each written with writeOrWait. */
export class ChunkedWriter {
  private static readonly CHUNK = 64 * 1024;
  private buffer = '';

  constructor(
    private readonly res: Response,
    private readonly stallMs: number,
  ) {}

  async write(piece: string): Promise<boolean> {
    this.buffer += piece;
    return this.buffer.length < ChunkedWriter.CHUNK || this.flush();
  }

  async flush(): Promise<boolean> {
    const chunk = this.buffer;
    this.buffer = '';
    return chunk === '' ? !isClosed(this.res) : writeOrWait(this.res, chunk, this.stallMs);
  }
}
