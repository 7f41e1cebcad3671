import { Module } from '@nestjs/common';
import { BatchRunsModule } from '../batch-runs/batch-runs.module';
import { BatchOrchestrator } from './batch-orchestrator';

@Module({
  imports: [BatchRunsModule],
  providers: [BatchOrchestrator],
  exports: [BatchOrchestrator],
})
export class OrchestratorModule {}
