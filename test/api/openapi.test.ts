/** OpenAPI: /api/docs-json describes every route of the HTTP API contract, with bearer auth; /api/docs serves the UI. */
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

const CONTRACT: Array<[method: string, path: string]> = [
  ['post', '/api/v1/batch/runs'],
  ['post', '/api/v1/batch/runs/{batchRunId}/logs'],
  ['post', '/api/v1/batch/runs/{batchRunId}/phases/{phase}/complete'],
  ['post', '/api/v1/batch/runs/{batchRunId}/finish'],
  ['post', '/api/v1/onboarding/{portfolioId}/batch'],
  ['get', '/api/v1/onboarding/status/{portfolioId}'],
  ['get', '/api/v1/onboarding/status/{portfolioId}/logs'],
  ['get', '/api/v1/admin/batch/history'],
  ['get', '/api/v1/admin/batch/history/{batchRunId}'],
  ['get', '/api/v1/admin/batch/history/{batchRunId}/logs'],
  ['get', '/api/v1/admin/batch/history/{batchRunId}/logs/count'],
];

interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  security?: unknown[];
}

describe('OpenAPI', () => {
  let t: TestApp;
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }>; securitySchemes: Record<string, { scheme?: string }> } };

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    const res = await request(t.baseUrl).get('/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => t?.close());

  it('is an OpenAPI 3 document with bearer (JWT) auth', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.values(doc.components.securitySchemes).some((s) => s.scheme === 'bearer')).toBe(true);
  });

  it.each(CONTRACT)('lists %s %s, secured by the bearer token', (method, path) => {
    const operation = doc.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.security?.length).toBeGreaterThan(0);
  });

  it('documents the query parameters of the list and download routes', () => {
    const names = (path: string) => (doc.paths[path].get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
    expect(names('/api/v1/admin/batch/history')).toEqual(expect.arrayContaining(['cursor', 'limit', 'portfolio_id', 'status']));
    expect(names('/api/v1/admin/batch/history/{batchRunId}/logs')).toEqual(expect.arrayContaining(['after_seq', 'format', 'level', 'limit', 'phase']));
    expect(names('/api/v1/onboarding/status/{portfolioId}/logs')).toEqual(expect.arrayContaining(['batch_run_id', 'format']));
  });

  it('documents the request bodies of the ingestion routes', () => {
    const body = (path: string) => {
      const ref = doc.paths[path].post.requestBody?.content['application/json'].schema.$ref ?? '';
      return Object.keys(doc.components.schemas[ref.split('/').pop() ?? '']?.properties ?? {}).sort();
    };
    expect(body('/api/v1/batch/runs')).toEqual(expect.arrayContaining(['batch_run_id', 'owner_id', 'phases', 'portfolio_id', 'total_jobs']));
    expect(body('/api/v1/batch/runs/{batchRunId}/logs')).toEqual(['entries']);
    expect(body('/api/v1/batch/runs/{batchRunId}/phases/{phase}/complete')).toEqual(expect.arrayContaining(['completed_jobs', 'failed_jobs', 'status']));
    expect(body('/api/v1/batch/runs/{batchRunId}/finish')).toEqual(expect.arrayContaining(['completed_jobs', 'failed_jobs', 'status']));
  });

  it('types the counts as integers with their bounds, and bodies that may be empty as optional', () => {
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, { type?: string; maximum?: number }>; additionalProperties?: unknown }>;
    expect(schemas.StartRunDto.properties?.total_jobs).toMatchObject({ type: 'integer', maximum: 2147483647 });
    expect(schemas.LogEntryDto.properties?.seq).toMatchObject({ type: 'integer' });
    expect(schemas.StartRunDto.additionalProperties).toBe(false);
    expect(schemas.LogEntryDto.additionalProperties).toBe(false);
    const op = (path: string) => doc.paths[path].post as Operation & { requestBody?: { required?: boolean } };
    expect(op('/api/v1/batch/runs').requestBody?.required).toBe(false);
    expect(op('/api/v1/batch/runs/{batchRunId}/phases/{phase}/complete').requestBody?.required).toBe(false);
  });

  it('documents one optional Last-Event-ID header on the event stream, and its media type', () => {
    const events = doc.paths['/api/v1/admin/batch/history/{batchRunId}/events'].get as Operation & { responses: Record<string, { content?: object }> };
    const headers = (events.parameters ?? []).filter((p) => p.in === 'header') as Array<{ name: string; required?: boolean }>;
    expect(headers).toEqual([expect.objectContaining({ name: 'last-event-id', required: false })]);
    expect(Object.keys(events.responses['200'].content ?? {})).toEqual(['text/event-stream']);
  });

  it('gives every answer of every /api/v1 route a body schema, but the 204 of the event stream', () => {
    const missing = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1'))
      .flatMap(([path, ops]) =>
        Object.entries(ops as Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>).flatMap(([method, op]) =>
          Object.entries(op.responses)
            .filter(([status, r]) => status !== '204' && (!r.content || !Object.values(r.content).every((m) => m.schema)))
            .map(([status]) => `${method} ${path} ${status}`),
        ),
      );
    expect(missing).toEqual([]);
  });

  it('serves the UI at /api/docs', async () => {
    const res = await request(t.baseUrl).get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
