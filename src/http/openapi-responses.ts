/**
 * Decorators that document a route's answers in the OpenAPI document: each status with its JSON body
 * schema, so a generated client types every answer. Errors always have the one Error schema, sent as
 * application/json whatever the route produces on success (a download's 404 is JSON, not a log).
 */
import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiParam, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeadersObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { BATCH_RUN_ID_PATTERN } from '../batch-runs/domain/run.limits';
import { ApiErrorSchema } from './api-error.schema';

export const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
};

/** Statuses whose answers say when to come back; 401 says which scheme to use. */
const ERROR_HEADERS: Record<number, HeadersObject> = {
  401: { 'WWW-Authenticate': { description: 'Bearer, or Bearer error="invalid_token" when a token was sent but refused.', schema: { type: 'string' } } },
  429: RETRY_AFTER,
  503: RETRY_AFTER,
};

/** Error statuses a route answers, each described; the body is the Error schema. */
export function ApiErrors(errors: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ApiErrorSchema),
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        headers: ERROR_HEADERS[Number(status)],
        content: { 'application/json': { schema: { $ref: getSchemaPath(ApiErrorSchema) } } },
      }),
    ),
  );
}

/** The refusals of the global AuthGuard, on every route that needs a token. */
export const ApiAuthErrors = (roles: string): MethodDecorator & ClassDecorator =>
  ApiErrors({
    401: 'No bearer token, or one that is invalid or expired.',
    403: `The token's role may not call this route (allowed: ${roles}).`,
  });

/** A success answer with a JSON body of the given model. */
export function ApiJson(status: number, model: Type<unknown>, description: string, headers?: HeadersObject): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({ status, description, headers, content: { 'application/json': { schema: { $ref: getSchemaPath(model) } } } }),
  );
}

/** A success answer whose body has one schema per media type (downloads). */
export function ApiContent(status: number, description: string, content: Record<string, SchemaObject>, headers?: HeadersObject): MethodDecorator {
  return ApiResponse({ status, description, headers, content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) });
}

/** The batchRunId path parameter, with the pattern BatchRunIdPipe checks. */
export const ApiRunIdParam = (): MethodDecorator =>
  ApiParam({ name: 'batchRunId', schema: { type: 'string', pattern: BATCH_RUN_ID_PATTERN.source }, example: 'nightly-import-2026-01-11' });

/** A portfolioId path parameter: a UUID (any case; answers give it in lower case). */
export const ApiPortfolioIdParam = (): MethodDecorator => ApiParam({ name: 'portfolioId', schema: { type: 'string', format: 'uuid' } });

/**
 * Every route behind a token may answer 503: the database cannot be reached, or (with a JWKS configured)
 * AuthGuard cannot fetch the identity provider's keys for a provider token.
 */
export const DATABASE_UNAVAILABLE =
  "The database is unreachable, or the identity provider's keys (JWKS) cannot be fetched for a provider token; retry after Retry-After seconds (appends with seq are idempotent).";
