import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { AppConfig } from '../config/app.config';
import { PG_POOL } from '../database/pg-pool';
import { BatchOrchestrator } from './batch-orchestrator';
import { portfolioOnboardingBatch } from './portfolio-onboarding.batch';

/** A fixed demo portfolio, so every fresh start shows the same kind of run. */
export const DEMO_PORTFOLIO_ID = '6f1c2a9e-4b7d-4c1e-9a51-3d2f8e7b0c11';
export const DEMO_OWNER_ID = 'demo-owner';

/** Starts the demo onboarding batch when the database holds no run; returns its id, or null. */
export async function seedDemoRunIfEmpty(app: INestApplication, config: AppConfig): Promise<string | null> {
  const pool = app.get<Pool>(PG_POOL);
  const { rows } = await pool.query('SELECT EXISTS (SELECT 1 FROM batch_run_history) AS any');
  if (rows[0].any) return null;
  const orchestrator = app.get(BatchOrchestrator);
  const started = await orchestrator.start(portfolioOnboardingBatch({ seconds: config.demoBatchSeconds }), {
    portfolioId: DEMO_PORTFOLIO_ID,
    ownerId: DEMO_OWNER_ID,
  });
  return started.batchRunId;
}
