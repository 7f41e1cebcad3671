import { Module } from '@nestjs/common';
import { BatchRunsModule } from '../batch-runs/batch-runs.module';
import { OrchestratorModule } from '../orchestrator/orchestrator.module';
import { OnboardingController } from './onboarding.controller';
import { OnboardingService } from './onboarding.service';

@Module({
  imports: [BatchRunsModule, OrchestratorModule],
  controllers: [OnboardingController],
  providers: [OnboardingService],
})
export class OnboardingModule {}
