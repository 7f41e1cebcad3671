import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { createPgPool, DATABASE_URL, PG_POOL, PG_READ_POOL } from './pg-pool';

/** The database connections of one app instance; the URL is resolved (embedded or given) before boot. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PG_READ_POOL) private readonly readPool: Pool,
  ) {}

  static forUrl(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PG_POOL, useFactory: () => createPgPool(url) },
        { provide: PG_READ_POOL, useFactory: (config: AppConfig) => createPgPool(url, config.readPoolMax, 'runlog-reads'), inject: [APP_CONFIG] },
        { provide: DATABASE_URL, useValue: url },
      ],
      exports: [PG_POOL, PG_READ_POOL, DATABASE_URL],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pool.end(), this.readPool.end()]);
  }
}
