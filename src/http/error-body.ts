/**
 * The one shape of every error answer, {statusCode, error, message, code, field?}, and the one mapping
 * from a failure to it. The filters, the download's error handler and the guards all build their
 * bodies here, so an error reads the same whichever layer refused the request; the OpenAPI `Error`
 * schema (src/http/openapi-schemas.ts) documents exactly this.
 */
import { STATUS_CODES } from 'http';
import { isDatabaseUnavailable } from '../database/database-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  /** One sentence; a list (one item per field) for a request the validation pipe refused. */
  message: string | string[];
  /** Machine-readable: a rule's own code (run_not_found, seq_gap, ...) or the status's generic one. */
  code: string;
  /** The field at fault, when a rule can name one. */
  field?: string;
}

/** The code of an error that has no more specific one: one per status. */
export const GENERIC_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

/** The reason phrases the API has always sent (Node's own table renames some between versions: 413). */
const ERROR_NAMES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The codes of the run's rules (src/batch-runs/domain/run.errors.ts, run.decide.ts). */
export const RULE_ERROR_CODES = ['invalid_input', 'run_not_found', 'run_exists', 'run_finished', 'seq_gap', 'phase_completed', 'portfolio_onboarding', 'no_comparable_run'] as const;

/** A body the JSON parser could not read (body-parser's `type`): said apart from a field's validation. */
export const MALFORMED_JSON = 'malformed_json';
/** A POST /v1/logs body that is no ExportLogsServiceRequest in its Content-Type's encoding. */
export const MALFORMED_OTLP = 'malformed_otlp';

/** A search refused: past its statement timeout, or an invalid regular expression (src/batch-runs/search/search.errors.ts). */
export const SEARCH_ERROR_CODES = ['search_too_broad', 'invalid_regex'] as const;

/** A 4xx no entry above names (none is answered today; a status Node or a library may add). */
const CLIENT_ERROR = 'client_error';

/** Every code an error body can carry: the OpenAPI enum. */
export const ERROR_CODES: readonly string[] = [...new Set([...Object.values(GENERIC_ERROR_CODES), ...RULE_ERROR_CODES, MALFORMED_JSON, MALFORMED_OTLP, ...SEARCH_ERROR_CODES, CLIENT_ERROR])];

export function errorBody(statusCode: number, message: string | string[], code?: string, field?: string): ErrorBody {
  return {
    statusCode,
    error: ERROR_NAMES[statusCode] ?? STATUS_CODES[statusCode] ?? 'Error',
    message,
    code: code ?? GENERIC_ERROR_CODES[statusCode] ?? (statusCode >= 500 ? 'internal_error' : CLIENT_ERROR),
    ...(field ? { field } : {}),
  };
}

/** How long a client should wait before retrying while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A failure that is the server's, not the client's: 503 with Retry-After while the database is
 * unreachable (producers retry, idempotently through seq), else 500 without internals.
 */
export function serverFailure(error: unknown): { body: ErrorBody; retryAfter?: number } {
  if (isDatabaseUnavailable(error)) {
    return {
      body: errorBody(503, 'the database is unavailable; retry later (appends are idempotent with seq)'),
      retryAfter: RETRY_AFTER_SECONDS,
    };
  }
  return { body: errorBody(500, 'internal error') };
}
