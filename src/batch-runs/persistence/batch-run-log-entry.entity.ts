import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per log entry, written by the projection in the append transaction. */
@Entity({ name: 'batch_run_log_entries' })
export class BatchRunLogEntryEntity {
  @PrimaryColumn('text', { name: 'batch_run_id' }) batchRunId: string;
  @PrimaryColumn('int') seq: number;
  @Column('timestamptz') timestamp: Date;
  @Column('text') level: string;
  @Column('text', { nullable: true }) phase: string | null;
  @Column('text') message: string;
  @Column('text', { name: 'trace_id', nullable: true }) traceId: string | null;
  @Column('text', { name: 'span_id', nullable: true }) spanId: string | null;
  /** The producer's id of the entry (OTLP log.record.uid), unique within its run. */
  @Column('text', { name: 'record_uid', nullable: true }) recordUid: string | null;
}
