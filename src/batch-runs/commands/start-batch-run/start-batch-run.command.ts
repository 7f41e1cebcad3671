import { Command } from '@nestjs/cqrs';
import { StartRunInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

export class StartBatchRunCommand extends Command<CommitResult> {
  /** The command is its own RunCommand ({ kind, input }): the committer takes it as it is. */
  readonly kind = 'start' as const;

  constructor(readonly input: StartRunInput) {
    super();
  }
}
