/**
 * The registry and the write path's observer, global so that GroupCommitter (in BatchRunsModule) can
 * be handed the observer without BatchRunsModule importing the metrics, which read from it.
 */
import { Global, Module } from '@nestjs/common';
import { GROUP_COMMIT_OBSERVER } from '../batch-runs/persistence/group-commit-observer';
import { GroupCommitMetrics } from './group-commit.metrics';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry';

@Global()
@Module({
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    GroupCommitMetrics,
    { provide: GROUP_COMMIT_OBSERVER, useExisting: GroupCommitMetrics },
  ],
  exports: [METRICS_REGISTRY, GROUP_COMMIT_OBSERVER],
})
export class MetricsCoreModule {}
