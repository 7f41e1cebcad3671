import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { BatchOrchestrator } from '../orchestrator/batch-orchestrator';
import { portfolioOnboardingBatch } from '../orchestrator/portfolio-onboarding.batch';

/** Runs the onboarding batch for a portfolio through the orchestrator, in the background. */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly orchestrator: BatchOrchestrator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Resolves once the run is stored (so its id can be polled at once); the batch carries on. */
  async start(portfolioId: string, ownerId: string): Promise<string> {
    const batch = portfolioOnboardingBatch({ seconds: this.config.demoBatchSeconds, seed: portfolioId });
    // onboarding: the database lets one such run of a portfolio run at a time (a 409 for the others).
    const started = await this.orchestrator.start(batch, { portfolioId, ownerId, onboarding: true });
    return started.batchRunId;
  }
}
