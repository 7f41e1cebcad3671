/**
 * Checks real answers against the served OpenAPI document: the status must be one the document lists
 * for the route, the media type one it lists for that status, and the body must validate against its
 * schema (ajv + ajv-formats, OpenAPI 3.0's `nullable` understood). Records what was checked, so a test
 * can demand that every documented route and status was seen.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface MediaType {
  schema?: object;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

export interface Answer {
  status: number;
  contentType: string;
  /** The raw body text; undefined for a stream whose messages are checked one by one (SSE). */
  text?: string;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  /** `METHOD path status` of every answer checked. */
  readonly seen = new Set<string>();

  constructor(readonly doc: OpenApiDocument) {
    // strict: false lets OpenAPI's own keywords (example) pass; answers are closed (additionalProperties:
    // false) where the document leaves it open, so a field the server adds and the document lacks is caught.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ components: { schemas: closed(doc.components.schemas) } }, 'openapi.json');
  }

  operations(): string[] {
    return Object.entries(this.doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
  }

  /** Every `METHOD path status` the document lists. */
  documented(): string[] {
    return Object.entries(this.doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method.toUpperCase()} ${path} ${status}`)),
    );
  }

  /** Throws, saying why, when the answer is not one the document allows for this route. */
  check(method: string, path: string, answer: Answer): void {
    const operation = this.doc.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${path} is not in the document`);
    const response = operation.responses[String(answer.status)];
    if (!response) {
      throw new Error(`${method} ${path} answered ${answer.status}, which the document does not list (${Object.keys(operation.responses).join(', ')}): ${answer.text?.slice(0, 300)}`);
    }
    this.seen.add(`${method.toUpperCase()} ${path} ${answer.status}`);
    if (!response.content) {
      if (answer.text) throw new Error(`${method} ${path} ${answer.status} documents no body but sent ${answer.text.slice(0, 100)}`);
      return;
    }
    const type = answer.contentType.split(';')[0].trim();
    const media = response.content[type];
    if (!media) throw new Error(`${method} ${path} ${answer.status} sent ${type}; the document lists ${Object.keys(response.content).join(', ')}`);
    if (answer.text === undefined) return;
    if (type === 'application/json') this.validate(media.schema, JSON.parse(answer.text), `${method} ${path} ${answer.status}`);
    else this.validate(media.schema, answer.text, `${method} ${path} ${answer.status} ${type}`);
  }

  /** Validates a value against a schema of the document ({$ref: '#/components/schemas/X'} or inline). */
  validate(schema: object | undefined, value: unknown, what: string): void {
    if (!schema) return;
    const key = JSON.stringify(schema);
    let validator = this.validators.get(key);
    if (!validator) {
      validator = this.ajv.compile(rebase(schema));
      this.validators.set(key, validator);
    }
    if (!validator(value)) throw new Error(`${what}: the body does not match the document: ${this.ajv.errorsText(validator.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
  }

  /** The schema of a component, by name. */
  component(name: string): object {
    return { $ref: `#/components/schemas/${name}` };
  }
}

/** Inline schemas refer to components as '#/...': in a compiled schema of its own that means openapi.json's. */
function rebase(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/'));
}

function closed(schemas: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(schemas)) as Record<string, Record<string, unknown>>;
  const close = (s: Record<string, unknown>) => {
    if (s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
    for (const p of Object.values((s.properties ?? {}) as Record<string, Record<string, unknown>>)) close(p);
    if (s.items) close(s.items as Record<string, unknown>);
  };
  Object.values(copy).forEach(close);
  return copy;
}
