import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommitResult, GroupCommitter } from '../../persistence/group-committer';
import { FinishBatchRunCommand } from './finish-batch-run.command';

@CommandHandler(FinishBatchRunCommand)
export class FinishBatchRunHandler implements ICommandHandler<FinishBatchRunCommand> {
  constructor(private readonly committer: GroupCommitter) {}

  execute(command: FinishBatchRunCommand): Promise<CommitResult> {
    return this.committer.submit({ kind: 'finish', input: command.input });
  }
}
