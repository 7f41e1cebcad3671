import { Command } from '@nestjs/cqrs';
import { StartRunInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

export class StartBatchRunCommand extends Command<CommitResult> {
  constructor(readonly input: StartRunInput) {
    super();
  }
}
