import { Command } from '@nestjs/cqrs';
import { AppendInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

/** Many entries in one command: one event, one group slot, one acknowledgement. */
export class AppendLogEntriesCommand extends Command<CommitResult> {
  constructor(readonly input: AppendInput) {
    super();
  }
}
