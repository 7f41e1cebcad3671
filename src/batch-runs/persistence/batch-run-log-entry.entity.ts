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
}
