import { Command } from '@nestjs/cqrs';
import { AppendInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

/** Many entries in one command: one event, one group slot, one acknowledgement. */
export class AppendLogEntriesCommand extends Command<CommitResult> {
  /** The command is its own RunCommand ({ kind, input }): the committer takes it as it is. */
  readonly kind = 'append' as const;

  constructor(readonly input: AppendInput) {
    super();
  }
}
