import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { dataSourceOptions } from './data-source.options';
import { createPgPool, DATABASE_URL, PG_POOL } from './pg-pool';

/** The database connections of one app instance; the URL is resolved (embedded or given) before boot. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  static forUrl(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), migrationsRun: false })],
      providers: [
        { provide: PG_POOL, useFactory: () => createPgPool(url) },
        { provide: DATABASE_URL, useValue: url },
      ],
      exports: [PG_POOL, DATABASE_URL],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
