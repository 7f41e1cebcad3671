import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RUN_COMMAND_HANDLERS } from './commands/run-command.handlers';
import { LeaseKeeper } from './leases/lease-keeper';
import { LeaseSweeper } from './leases/lease-sweeper';
import { LivenessBeacon } from './leases/liveness-beacon';
import { RunLeases } from './persistence/run-leases';
import { DurableDispatcher } from './spool/durable-dispatcher';
import { RetentionService } from './retention/retention.service';
import { EventBusBridge } from './events/event-bus.bridge';
import { AdminRunsController } from './http/admin-runs.controller';
import { AdminTimelineController } from './http/admin-timeline.controller';
import { AdminCompareController } from './http/admin-compare.controller';
import { RunComparer } from './compare/run-comparer';
import { ComparableRunsRepository } from './persistence/comparable-runs.repository';
import { IngestionController } from './http/ingestion.controller';
import { COMMIT_LISTENERS } from './persistence/commit-listener';
import { EventNotifier } from './persistence/event-notifier';
import { EventStore } from './persistence/event-store';
import { GroupCommitter } from './persistence/group-committer';
import { GroupWriter } from './persistence/group-writer';
import { SnapshotWriter } from './persistence/snapshot-writer';
import { RunProjection } from './persistence/run-projection';
import { runPolicyProvider } from './persistence/run-policy.provider';
import { RunReadRepository } from './persistence/run-read.repository';
import { RunStateLoader } from './persistence/run-state.loader';
import { BatchRunTracker } from './read/batch-run.tracker';
import { RunEventFollower } from './read/run-event.follower';
import { RunLogReader } from './read/run-log.reader';
import { AdminSearchController } from './http/admin-search.controller';
import { SearchIndexer } from './search/search-indexer';
import { SearchService } from './search/search.service';


/** The core: everything a batch run is, from command to stored event to readable log. */
@Module({
  imports: [CqrsModule],
  controllers: [IngestionController, AdminRunsController, AdminTimelineController, AdminCompareController, AdminSearchController],
  providers: [
    ...RUN_COMMAND_HANDLERS,
    EventStore,
    RunProjection,
    runPolicyProvider,
    RunLeases,
    LeaseKeeper,
    LeaseSweeper,
    LivenessBeacon,
    DurableDispatcher,
    RetentionService,
    RunStateLoader,
    GroupWriter,
    SnapshotWriter,
    GroupCommitter,
    BatchRunTracker,
    EventBusBridge,
    RunReadRepository,
    RunLogReader,
    EventNotifier,
    RunEventFollower,
    ComparableRunsRepository,
    RunComparer,
    SearchIndexer,
    SearchService,
    {
      provide: COMMIT_LISTENERS,
      useFactory: (tracker: BatchRunTracker, bridge: EventBusBridge, notifier: EventNotifier, indexer: SearchIndexer) => [tracker, bridge, notifier, indexer],
      inject: [BatchRunTracker, EventBusBridge, EventNotifier, SearchIndexer],
    },
  ],
  exports: [CqrsModule, RunEventFollower, RunLeases, LeaseKeeper, LeaseSweeper, DurableDispatcher, GroupCommitter, BatchRunTracker, RunLogReader, RunReadRepository, EventStore, RunProjection, SearchIndexer, SearchService],
})
export class BatchRunsModule {}
