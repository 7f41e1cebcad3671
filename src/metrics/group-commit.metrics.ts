/**
 * The write path's metrics that cannot be read at scrape time: what each committed group held and how
 * long its transaction took. Updated once per group (GroupCommitObserver), never per entry.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { CommittedGroup, GroupCommitObserver } from '../batch-runs/persistence/group-commit-observer';
import { METRICS_REGISTRY } from './metrics-registry';

@Injectable()
export class GroupCommitMetrics implements GroupCommitObserver {
  private readonly entriesStored: Counter;
  private readonly entriesDropped: Counter;
  private readonly commands: Histogram;
  private readonly entries: Histogram;
  private readonly duration: Histogram;
  /** One child per lane, made once: a group costs no label hashing of its own. */
  private readonly groupsByLane: Counter.Internal[];

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(APP_CONFIG) config: AppConfig) {
    const registers = [registry];
    this.entriesStored = new Counter({
      name: 'runlog_log_entries_acknowledged_total',
      help: 'Log entries stored by committed groups (acknowledged to their producers); rate() is the ingestion rate.',
      registers,
    });
    this.entriesDropped = new Counter({
      name: 'runlog_log_entries_dropped_total',
      help: 'Log entries not stored because their run reached MAX_ENTRIES_PER_RUN (counted in the run, never silent).',
      registers,
    });
    this.commands = new Histogram({
      name: 'runlog_group_commit_commands',
      help: 'Commands per committed group.',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.entries = new Histogram({
      name: 'runlog_group_commit_entries',
      help: 'Log entries stored per committed group (bounded by GROUP_COMMIT_MAX_ENTRIES).',
      buckets: [0, 1, 10, 50, 100, 500, 1000, 2000, 5000, 10000, 20000],
      registers,
    });
    this.duration = new Histogram({
      name: 'runlog_group_commit_duration_seconds',
      help: "A group's transaction, BEGIN to COMMIT (the wait for a pool connection is not in it).",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const groups = new Counter({ name: 'runlog_group_commits_total', help: 'Groups committed, per lane.', labelNames: ['lane'], registers });
    this.groupsByLane = Array.from({ length: config.groupCommitLanes }, (_, lane) => {
      const child = groups.labels(String(lane));
      child.inc(0); // every lane has a series from the start, so rate() sees a quiet lane as 0, not absent
      return child;
    });
  }

  groupCommitted(group: CommittedGroup): void {
    this.groupsByLane[group.lane]?.inc();
    this.commands.observe(group.commands);
    this.entries.observe(group.entriesStored);
    this.duration.observe(group.seconds);
    if (group.entriesStored > 0) this.entriesStored.inc(group.entriesStored);
    if (group.entriesDropped > 0) this.entriesDropped.inc(group.entriesDropped);
  }
}
