import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommitResult, GroupCommitter } from '../../persistence/group-committer';
import { AppendLogEntriesCommand } from './append-log-entries.command';

@CommandHandler(AppendLogEntriesCommand)
export class AppendLogEntriesHandler implements ICommandHandler<AppendLogEntriesCommand> {
  constructor(private readonly committer: GroupCommitter) {}

  execute(command: AppendLogEntriesCommand): Promise<CommitResult> {
    return this.committer.submit({ kind: 'append', input: command.input });
  }
}
