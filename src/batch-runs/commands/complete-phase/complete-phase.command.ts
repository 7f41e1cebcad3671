import { Command } from '@nestjs/cqrs';
import { CompletePhaseInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

export class CompletePhaseCommand extends Command<CommitResult> {
  /** The command is its own RunCommand ({ kind, input }): the committer takes it as it is. */
  readonly kind = 'completePhase' as const;

  constructor(readonly input: CompletePhaseInput) {
    super();
  }
}
