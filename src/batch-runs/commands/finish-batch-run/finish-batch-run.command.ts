import { Command } from '@nestjs/cqrs';
import { FinishRunInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

export class FinishBatchRunCommand extends Command<CommitResult> {
  /** The command is its own RunCommand ({ kind, input }): the committer takes it as it is. */
  readonly kind = 'finish' as const;

  constructor(readonly input: FinishRunInput) {
    super();
  }
}
