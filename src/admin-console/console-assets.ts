/**
 * The console's static files (HTML, CSS, ES modules), read once from src/admin-console/public and
 * served from memory. Only the files found there at boot are served: a request names a file, never a
 * path, so nothing outside the folder can be reached.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** File names the console may serve: plain names with a known extension. */
const SERVABLE = /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/;

/**
 * Where the files are: beside this module under ts-jest (src/admin-console/public), or, for the
 * compiled dist/src/admin-console/*.js, back in the source tree (tsc does not copy non-TS files).
 */
export function consolePublicDirCandidates(fromDir: string): string[] {
  return [path.join(fromDir, 'public'), path.join(fromDir, '..', '..', '..', 'src', 'admin-console', 'public')];
}

export function findConsolePublicDir(fromDir: string = __dirname): string | null {
  return consolePublicDirCandidates(fromDir).find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}

export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const name of fs.readdirSync(dir)) {
    if (!SERVABLE.test(name)) continue;
    const body = fs.readFileSync(path.join(dir, name));
    assets.set(name, {
      body,
      contentType: CONTENT_TYPES[path.extname(name)],
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return assets;
}

/**
 * The page runs only its own files: no inline script or style, no other origin, no plugins, no framing.
 * connect-src 'self' covers the API calls and the event stream; blob: lets a finished download be saved.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Revalidated on every load (cheap with the ETag), so a new release's files are picked up at once.
  'Cache-Control': 'no-cache',
};
