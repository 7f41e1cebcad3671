import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * OpenAPI at /api/docs (UI, served from the swagger-ui-dist package: no CDN) and /api/docs-json. The
 * routes, their parameters and every answer with its body schema are declared next to the code (the
 * controllers' decorators, the DTOs, *-responses.ts); what the decorators cannot say is added here.
 */
export function setUpOpenApi(app: INestApplication): void {
  const document = completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('runlog')
        .setDescription('Event-sourced activity logs for batch runs: ingestion, owner and admin downloads. See docs/api.md.')
        .setVersion('1')
        .setLicense('MIT', 'https://opensource.org/license/mit')
        // Relative: the routes are served by whichever address serves this document (HOST, PORT, a proxy).
        .addServer('/', 'This runlog instance')
        .addTag('ingestion', 'Producers write runs: start, append entries, complete phases, heartbeat, finish (role service or admin).')
        .addTag('onboarding', "Portfolio owners start onboarding and read their runs' status and logs (role user; admin reads all).")
        .addTag('admin', 'Every run: list, details, log downloads and counts, timeline, live events (role admin).')
        .addTag('health', 'Probes, no token.')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: unknown };

export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Array<{ security?: unknown[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>) {
      if (typeof operation !== 'object' || operation === null) continue;
      // A route without @ApiBearerAuth is @Public() (the global AuthGuard closes every other): say "no token" outright.
      operation.security ??= [];
      for (const media of Object.values(operation.requestBody?.content ?? {})) closeObjects(media.schema, schemas, new Set());
    }
  }
  return document;
}

/**
 * additionalProperties: false on a request body and the objects inside it: the ValidationPipe
 * (forbidNonWhitelisted) and the entries rule refuse an unknown field with a 400, so the document says so.
 */
function closeObjects(schema: Schema | undefined, schemas: Record<string, Schema>, seen: Set<Schema>): void {
  if (!schema) return;
  const target = schema.$ref ? schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
  if (!target || seen.has(target)) return;
  seen.add(target);
  if (target.type === 'object' || target.properties) {
    target.additionalProperties = false;
    for (const property of Object.values(target.properties ?? {})) closeObjects(property, schemas, seen);
  }
  closeObjects(target.items, schemas, seen);
}
