import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PhaseState } from '../domain/run.state';
import { StoredLogEntry } from '../domain/run.events';

/** The run row: the projection of a run's stream, plus its JSONB log snapshot. Written only by the projection. */
@Entity({ name: 'batch_run_history' })
export class BatchRunHistoryEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'batch_run_id', unique: true }) batchRunId: string;
  @Column('text') status: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('int', { name: 'total_jobs' }) totalJobs: number;
  @Column('int', { name: 'completed_jobs' }) completedJobs: number;
  @Column('int', { name: 'failed_jobs' }) failedJobs: number;
  @Column('uuid', { name: 'portfolio_id', nullable: true }) portfolioId: string | null;
  @Column('text', { name: 'owner_id', nullable: true }) ownerId: string | null;
  @Column('boolean', { default: false }) onboarding: boolean;
  @Column('jsonb', { name: 'activity_log', nullable: true, select: false }) activityLog: StoredLogEntry[] | null;
  @Column('int', { name: 'activity_log_seq' }) activityLogSeq: number;
  @Column('int', { name: 'last_seq' }) lastSeq: number;
  @Column('text', { name: 'current_phase', nullable: true }) currentPhase: string | null;
  @Column('jsonb') phases: PhaseState[];
  @Column('int', { name: 'stream_version' }) streamVersion: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
