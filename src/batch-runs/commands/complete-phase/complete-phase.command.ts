import { Command } from '@nestjs/cqrs';
import { CompletePhaseInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

export class CompletePhaseCommand extends Command<CommitResult> {
  constructor(readonly input: CompletePhaseInput) {
    super();
  }
}
