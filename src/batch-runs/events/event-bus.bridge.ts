import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { RecordedRunEvent } from '../domain/run.events';
import { CommitListener } from '../persistence/commit-listener';
import { toNestEvent } from './run-event.classes';

/** Hands committed events to the @nestjs/cqrs EventBus, in commit order. */
@Injectable()
export class EventBusBridge implements CommitListener {
  constructor(private readonly eventBus: EventBus) {}

  onCommitted(events: RecordedRunEvent[]): void {
    this.eventBus.publishAll(events.map(toNestEvent));
  }
}
