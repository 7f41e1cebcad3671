import { Command } from '@nestjs/cqrs';
import { FinishRunInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

export class FinishBatchRunCommand extends Command<CommitResult> {
  constructor(readonly input: FinishRunInput) {
    super();
  }
}
