/** Builds the HTTP application the same way for `npm start` and for every test. */
import { INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, AppOptions } from './app.module';
import { UnhandledErrorFilter } from './http/database-unavailable.filter';
import { RunRuleErrorFilter } from './http/run-rule-error.filter';
import { setUpOpenApi } from './http/openapi';
import { useSecurityHeaders } from './http/security-headers';
import { applyServerLimits } from './http/server-limits';

export interface CreateAppOptions extends AppOptions {
  logger?: LogLevel[] | false;
}

export async function createApp(options: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    abortOnError: false,
    // No body parser in front of the routes: JsonBodyGuard reads a JSON body once AuthGuard has let the
    // request in, so a request without a valid token is answered before its body is read.
    bodyParser: false,
  });
  applyServerLimits(app.getHttpServer(), options.config);
  app.set('trust proxy', false);
  app.disable('x-powered-by');
  // No ETag on API answers: none is cacheable (the console's assets set their own), and Express hashed every JSON answer for one.
  app.set('etag', false);
  useSecurityHeaders(app); // before any route: every answer carries them (setUpOpenApi registers routes)
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Reject what is not the declared type instead of coercing it ("12" for a number in a body).
      transformOptions: { enableImplicitConversion: false },
    }),
  );
  // Filters run last-registered first: rule errors get their status; anything else is judged by the catch-all.
  app.useGlobalFilters(new UnhandledErrorFilter(), new RunRuleErrorFilter());
  setUpOpenApi(app);
  return app;
}
