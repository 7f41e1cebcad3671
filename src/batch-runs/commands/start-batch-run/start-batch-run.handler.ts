import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommitResult, GroupCommitter } from '../../persistence/group-committer';
import { StartBatchRunCommand } from './start-batch-run.command';

@CommandHandler(StartBatchRunCommand)
export class StartBatchRunHandler implements ICommandHandler<StartBatchRunCommand> {
  constructor(private readonly committer: GroupCommitter) {}

  execute(command: StartBatchRunCommand): Promise<CommitResult> {
    return this.committer.submit({ kind: 'start', input: command.input });
  }
}
