import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommitResult, GroupCommitter } from '../../persistence/group-committer';
import { InterruptBatchRunCommand } from './interrupt-batch-run.command';

@CommandHandler(InterruptBatchRunCommand)
export class InterruptBatchRunHandler implements ICommandHandler<InterruptBatchRunCommand> {
  constructor(private readonly committer: GroupCommitter) {}

  execute(command: InterruptBatchRunCommand): Promise<CommitResult> {
    return this.committer.submit({ kind: 'interrupt', input: command.input });
  }
}
