/** A minimal HTTP GET for downloads: latency to the first body byte and to the end, and the body. */
import * as http from 'http';
import { nowMs } from './stats';

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });

export interface Download {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  head: string;
}

/** Downloads `url`; keeps only the first `keepChars` characters of the body. */
export function download(url: string, token: string, keepChars = 2000, agent: http.Agent = keepAlive): Promise<Download> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    let ttfb = NaN;
    let bytes = 0;
    let head = '';
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', (chunk: Buffer) => {
        if (bytes === 0) ttfb = nowMs() - start;
        bytes += chunk.length;
        if (head.length < keepChars) head += chunk.toString('utf8', 0, Math.min(chunk.length, keepChars));
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ttfbMs: ttfb, totalMs: nowMs() - start, bytes, head }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The source a download says it was served from (JSON field or TXT header line). */
export function sourceOf(head: string): string | null {
  return /"source":"(\w+)"/.exec(head)?.[1] ?? /Source:\s+(\w+)/.exec(head)?.[1] ?? null;
}
