import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { json } from 'express';
import type { Request, Response } from 'express';

/** The largest request body: 1000 entries of a few KiB each fit; a flood does not. */
export const MAX_BODY = '5mb';

const parseJson = json({ limit: MAX_BODY });

/**
 * A request body must be JSON, and it is read here, not before routing. Only JSON is parsed, so a body
 * sent as anything else (curl -d sends application/x-www-form-urlencoded) would reach the route as no
 * body at all: a run started with a generated id instead of the one sent. Such a request is a 415; a
 * request without a body passes.
 *
 * Why here: a body parser in front of the app (app.useBodyParser) read up to 5 MiB of every request,
 * and waited for all of it, before AuthGuard could refuse the request: anyone without a token could
 * hold a connection and a buffer per request. Guards run in order, AuthGuard (global) first, so a
 * body is read only for a caller that is authenticated and allowed on the route; a refused request
 * is answered at once, its body unread (AuthGuard closes such a connection). Parse errors are
 * body-parser's own (400 broken JSON, 413 past MAX_BODY, 415 charset), answered by the catch-all filter.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (req.headers['content-length'] === '0') return true;
    const match = req.is('application/json'); // what the JSON parser reads
    if (match === false) {
      throw new UnsupportedMediaTypeException(
        `the request body must be JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'untyped'}`,
      );
    }
    if (match !== null) await readJsonBody(req, http.getResponse<Response>()); // null: the request has no body
    return true;
  }
}

function readJsonBody(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => parseJson(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
}
