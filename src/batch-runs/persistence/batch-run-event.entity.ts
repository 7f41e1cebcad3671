import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The append-only event store: the source of truth for every run. */
@Entity({ name: 'batch_run_events' })
export class BatchRunEventEntity {
  @PrimaryColumn('text', { name: 'stream_id' }) streamId: string;
  @PrimaryColumn('int') version: number;
  @Column('bigint', { unique: true }) position: number;
  @Column('text') type: string;
  @Column('jsonb') payload: unknown;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
}
