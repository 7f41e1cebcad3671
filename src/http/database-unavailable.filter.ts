import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'http';
import { ErrorBody, errorBody, MALFORMED_JSON, serverFailure } from './error-body';

export { RETRY_AFTER_SECONDS } from './error-body';

/**
 * The last line of defence: an error nothing else handled. An HttpException (Nest's, a guard's) keeps
 * its status and gets the one error shape (src/http/error-body.ts), its code the status's own. A
 * database that cannot be reached is a 503 with Retry-After (producers retry, idempotently through
 * seq); anything else is a bug, logged with its stack, answered 500 without internals.
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
      res.status(clientError.statusCode).json(clientError);
      return;
    }
    const failure = serverFailure(error);
    if (failure.body.statusCode === 500) this.logger.error((error as Error)?.stack ?? String(error));
    if (failure.retryAfter) res.setHeader('Retry-After', String(failure.retryAfter));
    res.status(failure.body.statusCode).json(failure.body);
  }
}

/** Nest's body ({statusCode, message, error}, or a string), in the one shape, keeping a code it has. */
function normalise(error: HttpException): ErrorBody {
  const status = error.getStatus();
  const body = error.getResponse();
  if (typeof body === 'string') return errorBody(status, body);
  const { message, code, field } = body as { message?: unknown; code?: unknown; field?: unknown };
  const text = typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string')) ? message : error.message;
  return errorBody(status, text, typeof code === 'string' ? code : undefined, typeof field === 'string' ? field : undefined);
}

/** An http-errors 4xx (exposed by design: its message is meant for the client), as a JSON body. */
function asClientError(error: unknown): ErrorBody | null {
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown; type?: unknown; limit?: unknown };
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || e.expose !== true) return null;
  const message =
    e.type === 'entity.too.large' && typeof e.limit === 'number'
      ? `request body exceeds the limit of ${e.limit} bytes`
      : typeof e.message === 'string' ? e.message : (STATUS_CODES[status] ?? 'Error');
  return errorBody(status, message, e.type === 'entity.parse.failed' ? MALFORMED_JSON : undefined);
}
