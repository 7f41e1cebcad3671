import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommitResult, GroupCommitter } from '../../persistence/group-committer';
import { CompletePhaseCommand } from './complete-phase.command';

@CommandHandler(CompletePhaseCommand)
export class CompletePhaseHandler implements ICommandHandler<CompletePhaseCommand> {
  constructor(private readonly committer: GroupCommitter) {}

  execute(command: CompletePhaseCommand): Promise<CommitResult> {
    return this.committer.submit({ kind: 'completePhase', input: command.input });
  }
}
