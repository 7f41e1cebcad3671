import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * A request body must be JSON. Only JSON is parsed, so a body sent as anything else (curl -d sends
 * application/x-www-form-urlencoded) would reach the route as no body at all: a run started with a
 * generated id instead of the one sent. Such a request is a 415 instead; a request without a body passes.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.headers['content-length'] === '0') return true;
    const match = req.is('application/json') // what the JSON body parser reads (app.factory.ts);
    if (match === null || match) return true; // null: the request has no body
    throw new UnsupportedMediaTypeException(
      `the request body must be JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'untyped'}`,
    );
  }
}
