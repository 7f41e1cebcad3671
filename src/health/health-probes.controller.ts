/**
 * Liveness and readiness for an orchestrator (Kubernetes probes, a load balancer), apart from
 * GET /health, which stays as it was. Live: the process answers; it touches nothing, so a slow or
 * absent database never gets the process restarted. Ready: this instance can take writes now: the
 * database answers `SELECT 1` within 2 s on the write pool, and that pool is not exhausted (a
 * connection is free, or no one waits for one); otherwise 503 with Retry-After, naming the check.
 */
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Pool } from 'pg';
import { Public } from '../auth/public.decorator';
import { PG_POOL } from '../database/pg-pool';
import { ApiJson, RETRY_AFTER } from '../http/openapi-responses';
import { HealthSchema, ReadinessSchema } from './health.responses';

const PROBE_TIMEOUT_MS = 2000;
const RETRY_AFTER_SECONDS = 5;

type Check = 'ok' | string;

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: { write_pool: Check; database: Check };
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthProbesController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers; touches nothing (no token)' })
  @ApiJson(200, HealthSchema, '{"status":"ok"}')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the write pool is not exhausted and the database answers within 2 s (no token)' })
  @ApiJson(200, ReadinessSchema, 'Ready: every check is ok.')
  @ApiJson(503, ReadinessSchema, 'Not ready: the failed check says why.', RETRY_AFTER)
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const pool = this.poolCheck();
    // An exhausted pool would queue the probe behind the waiting writers: not asked, already not ready.
    const database = pool === 'ok' ? await this.databaseCheck() : 'not checked: the write pool is exhausted';
    const ready = pool === 'ok' && database === 'ok';
    if (!ready) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    return { status: ready ? 'ok' : 'unavailable', checks: { write_pool: pool, database } };
  }

  private poolCheck(): Check {
    const { totalCount, idleCount, waitingCount } = this.pool;
    const max = this.pool.options.max ?? 10;
    const free = idleCount > 0 || totalCount < max;
    if (waitingCount === 0 || free) return 'ok';
    return `exhausted: ${totalCount - idleCount} of ${max} connections in use, ${waitingCount} waiting`;
  }

  private async databaseCheck(): Promise<Check> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), PROBE_TIMEOUT_MS)));
    try {
      const answer = await Promise.race([this.pool.query('SELECT 1'), timeout]);
      return answer === 'timeout' ? `SELECT 1 did not answer within ${PROBE_TIMEOUT_MS / 1000} s` : 'ok';
    } catch (error) {
      // The error's code only (ECONNREFUSED, 3D000...): the route is public, and pg's messages name hosts and databases.
      const code = (error as { code?: unknown }).code;
      return `SELECT 1 failed${typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? ` (${code})` : ''}`;
    } finally {
      clearTimeout(timer);
    }
  }
}
