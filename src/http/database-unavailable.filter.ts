import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isDatabaseUnavailable } from '../database/database-errors';
import { STATUS_CODES } from 'http';

/** How long a client should wait before retrying while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The last line of defence: an error nothing else handled. A database that cannot be reached is a
 * 503 with Retry-After (producers retry, idempotently through seq); anything else is a bug, logged
 * with its stack, answered 500 without internals.
 */
@Catch()
export class UnhandledErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.destroy(); // a stream failed half-way: cut the connection so the client sees it incomplete
      return;
    }
    if (error instanceof HttpException) {
      res.status(error.getStatus()).json(normalise(error));
      return;
    }
    const clientError = asClientError(error);
    if (clientError) {
      // Express middleware (body-parser) reports a client's fault as an http-errors object, not an
      // HttpException: a body over the limit is a 413, a bad charset a 415, answered like any other 4xx.
      res.status(clientError.status).json(clientError.body);
      return;
    }
    if (isDatabaseUnavailable(error)) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the database is unavailable; retry later (appends are idempotent with seq)',
      });
      return;
    }
    this.logger.error((error as Error)?.stack ?? String(error));
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  }
}

function normalise(error: HttpException): object {
  const body = error.getResponse();
  return typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body;
}

/** An http-errors 4xx (exposed by design: its message is meant for the client), as a JSON body. */
function asClientError(error: unknown): { status: number; body: object } | null {
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; type?: unknown; limit?: unknown };
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || e.expose !== true) return null;
  const message =
    e.type === 'entity.too.large' && typeof e.limit === 'number'
      ? `request body exceeds the limit of ${e.limit} bytes`
      : typeof e.message === 'string' ? e.message : STATUS_CODES[status];
  return { status, body: { statusCode: status, message, error: STATUS_CODES[status] ?? 'Error' } };
}
