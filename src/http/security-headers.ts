/**
 * Security headers on every response (helmet), so a browser never sniffs a JSON error that echoes
 * input into HTML, never frames a runlog page, and runs only what runlog serves.
 *
 * - Everything: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy:
 *   no-referrer`, and helmet's other defaults, less HSTS: runlog speaks plain HTTP itself; HSTS belongs
 *   to the TLS terminator in front of it, and sent over http://127.0.0.1 it would only mislead.
 * - API answers (JSON, logs, SSE) are no documents: `default-src 'none'; frame-ancestors 'none'`.
 * - The Swagger UI at /api/docs (served from swagger-ui-dist, no CDN) loads its own scripts, styles
 *   and images: `default-src 'self'`, scripts only from files ('self', no inline script, no eval);
 *   its HTML carries two <style> blocks and style attributes, hence style-src 'unsafe-inline' (styles
 *   only). No `upgrade-insecure-requests`: on plain HTTP it would send the page's own assets to https.
 * - The admin console (/admin) sets its own, stricter policy (console-assets.ts), over this one.
 */
import { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'http';
import helmet from 'helmet';

export const API_CSP = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

export const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Where the Swagger UI is served (openapi.ts); its JSON at /api/docs-json is an API answer. */
export const DOCS_PATH = '/api/docs';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * Helmet's headers for a policy, worked out once: helmet is a chain of a dozen middlewares, each setting
 * one constant header (none here depends on the request: no CSP nonces), so it is run once against a
 * recording response, and each request gets the recorded headers from one middleware.
 */
export function securityHeaders(directives: Record<string, string[]>): { set: Array<[string, string]>; removed: string[] } {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const recorder = { setHeader: (name: string, value: unknown) => void set.push([name, String(value)]), removeHeader: (name: string) => void removed.push(name) };
  let ran = false;
  helmet({ contentSecurityPolicy: { useDefaults: false, directives }, strictTransportSecurity: false, xFrameOptions: { action: 'deny' } })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
      ran = true;
    },
  );
  if (!ran) throw new Error('helmet did not run to the end synchronously: its headers cannot be worked out once');
  return { set, removed };
}

function headers(directives: Record<string, string[]>): Middleware {
  const { set, removed } = securityHeaders(directives);
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** Before any route is registered (the Swagger UI's are registered by setUpOpenApi). */
export function useSecurityHeaders(app: INestApplication): void {
  app.use(headers(API_CSP));
  app.use(DOCS_PATH, headers(DOCS_CSP)); // overrides the API policy for the page and its assets
}
