/**
 * The committed events as @nestjs/cqrs events, published on the EventBus after commit. Handlers of
 * these are for side effects only (live tails, notifications): @nestjs/cqrs runs them fire-and-forget,
 * so nothing that must be consistent with an acknowledgement may live there; the projection is inline.
 */
import { IEvent } from '@nestjs/cqrs';
import { RecordedRunEvent } from '../domain/run.events';

abstract class CommittedRunEvent<E extends RecordedRunEvent> implements IEvent {
  constructor(readonly event: E) {}
  get batchRunId(): string {
    return this.event.streamId;
  }
}

export class BatchRunStartedEvent extends CommittedRunEvent<Extract<RecordedRunEvent, { type: 'BatchRunStarted' }>> {}
export class LogAppendedEvent extends CommittedRunEvent<Extract<RecordedRunEvent, { type: 'LogAppended' }>> {}
export class PhaseCompletedEvent extends CommittedRunEvent<Extract<RecordedRunEvent, { type: 'PhaseCompleted' }>> {}
export class BatchRunFinishedEvent extends CommittedRunEvent<Extract<RecordedRunEvent, { type: 'BatchRunFinished' }>> {}
export class LogEntriesDroppedEvent extends CommittedRunEvent<Extract<RecordedRunEvent, { type: 'LogEntriesDropped' }>> {}

export type AnyCommittedRunEvent = BatchRunStartedEvent | LogAppendedEvent | PhaseCompletedEvent | BatchRunFinishedEvent | LogEntriesDroppedEvent;

export function toNestEvent(event: RecordedRunEvent): AnyCommittedRunEvent {
  switch (event.type) {
    case 'BatchRunStarted':
      return new BatchRunStartedEvent(event);
    case 'LogAppended':
      return new LogAppendedEvent(event);
    case 'PhaseCompleted':
      return new PhaseCompletedEvent(event);
    case 'BatchRunFinished':
      return new BatchRunFinishedEvent(event);
    case 'LogEntriesDropped':
      return new LogEntriesDroppedEvent(event);
  }
}
