import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { raw } from 'express';
import type { Request, Response } from 'express';
import { MAX_BODY } from '../http/json-body.guard';

/** The two encodings OTLP/HTTP defines; the answer is sent in the one the request used. */
export const OTLP_MEDIA_TYPES = { protobuf: 'application/x-protobuf', json: 'application/json' } as const;
export type OtlpEncoding = keyof typeof OTLP_MEDIA_TYPES;

/**
 * Reads an OTLP request body as bytes, after AuthGuard has let the request in (the reason is
 * JsonBodyGuard's: nobody without a token makes runlog read a body). body-parser inflates
 * `Content-Encoding: gzip` (and deflate) and bounds the inflated body by MAX_BODY, so a small
 * compressed bomb is a 413, not a buffer; an unknown encoding is its 415. Other media types: 415.
 */
const readRaw = raw({ type: () => true, limit: MAX_BODY, inflate: true });

@Injectable()
export class OtlpBodyGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { otlpEncoding?: OtlpEncoding }>();
    const match = req.is([OTLP_MEDIA_TYPES.protobuf, OTLP_MEDIA_TYPES.json]);
    if (!match) {
      throw new UnsupportedMediaTypeException(
        `an OTLP request is ${OTLP_MEDIA_TYPES.protobuf} or ${OTLP_MEDIA_TYPES.json}, not ${req.headers['content-type'] ?? 'untyped'}`,
      );
    }
    req.otlpEncoding = match === OTLP_MEDIA_TYPES.protobuf ? 'protobuf' : 'json';
    await new Promise<void>((resolve, reject) => readRaw(req, http.getResponse<Response>(), (error?: unknown) => (error ? reject(error) : resolve())));
    if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0); // no body at all: an empty request
    return true;
  }
}
