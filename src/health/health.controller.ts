import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Pool } from 'pg';
import { Public } from '../auth/public.decorator';
import { PG_POOL } from '../database/pg-pool';
import { ApiJson } from '../http/openapi-responses';
import { HealthSchema } from './health.responses';

const PROBE_TIMEOUT_MS = 2000;

/** Liveness that means something: ok only when the database answers. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @ApiOperation({ summary: 'ok once the database answers SELECT 1 (no token)' })
  @ApiJson(200, HealthSchema, '{"status":"ok"}')
  @ApiJson(503, HealthSchema, '{"status":"unavailable"}: the database did not answer.')
  async check(@Res({ passthrough: true }) res: Response): Promise<{ status: string }> {
    try {
      await withTimeout(this.pool.query('SELECT 1'), PROBE_TIMEOUT_MS);
      return { status: 'ok' };
    } catch {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable' };
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
