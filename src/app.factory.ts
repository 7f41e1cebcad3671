/** Builds the HTTP application the same way for `npm start` and for every test. */
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, AppOptions } from './app.module';

export interface CreateAppOptions extends AppOptions {
  logger?: LogLevel[] | false;
}

export async function createApp(options: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(options), {
    logger: options.logger ?? ['log', 'warn', 'error'],
    abortOnError: false,
  });
  return app;
}
