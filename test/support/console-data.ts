/** Realistic runs for the console's browser tests and screenshots: the demo onboarding batch and a failed one. */
import { BatchDefinition } from '../../src/orchestrator/batch-definition';
import { portfolioOnboardingBatch } from '../../src/orchestrator/portfolio-onboarding.batch';
import { TestApp } from './test-app';

export const DEMO_PORTFOLIO = '6f1c2a9e-4b7d-4c1e-9a51-3d2f8e7b0c11';
export const OTHER_PORTFOLIO = '0b8e5a3c-2d41-4f6a-8c9e-7a1b2c3d4e5f';

/** The demo onboarding batch, run to completion (`seconds`: its whole duration). */
export async function demoRun(t: TestApp, seconds = 1, portfolioId = DEMO_PORTFOLIO, batchRunId?: string): Promise<string> {
  const outcome = await t.orchestrator.run(portfolioOnboardingBatch({ seconds, seed: portfolioId }), { portfolioId, ownerId: 'demo-owner', batchRunId });
  return outcome.batchRunId;
}

/** A nightly import that fails in its second phase (its job throws), so the run finishes as failed. */
export function failingImportBatch(stepMs = 40): BatchDefinition {
  const pause = () => new Promise((resolve) => setTimeout(resolve, stepMs));
  return {
    name: 'nightly import',
    phases: [
      {
        name: 'Download files',
        jobs: [{ name: 'download', async run(ctx) {
          await ctx.info('Downloading 3 files from the SFTP drop');
          await pause();
          await ctx.info('positions_20260111.csv: 12,408 rows');
          await pause();
          await ctx.warn('trades_20260111.csv arrived 40 minutes late');
        } }],
      },
      {
        name: 'Validate rows',
        jobs: [{ name: 'validate', async run(ctx) {
          await ctx.info('Validating 12,408 rows against the instrument master');
          await pause();
          await ctx.warn('17 rows reference unknown ISINs');
          await pause();
          throw new Error('row 9,114: quantity "1,2e" is not a number');
        } }],
      },
      { name: 'Load warehouse', jobs: [{ name: 'load', async run(ctx) { await ctx.info('never reached'); } }] },
    ],
  };
}

export async function failedRun(t: TestApp, portfolioId = OTHER_PORTFOLIO, batchRunId?: string, stepMs = 40): Promise<string> {
  const outcome = await t.orchestrator.run(failingImportBatch(stepMs), { portfolioId, ownerId: 'ops', batchRunId });
  return outcome.batchRunId;
}

/** The same import carrying on past its failed phase: it finishes as partial. */
export async function partialRun(t: TestApp, portfolioId = OTHER_PORTFOLIO, stepMs = 40): Promise<string> {
  const outcome = await t.orchestrator.run({ ...failingImportBatch(stepMs), continueOnFailure: true }, { portfolioId, ownerId: 'ops' });
  return outcome.batchRunId;
}
