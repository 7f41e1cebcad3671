/**
 * The @nestjs/cqrs handlers of the five run commands. The CommandBus routes by class, so each command
 * has a handler class; all of them hand the command, which is its own RunCommand ({ kind, input }),
 * to the group committer as it is: no handler reshapes it.
 */
import { Injectable } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RunCommand } from '../domain/run.commands';
import { CommitResult, GroupCommitter } from '../persistence/group-committer';
import { AppendLogEntriesCommand } from './append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from './complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from './finish-batch-run/finish-batch-run.command';
import { InterruptBatchRunCommand } from './interrupt-batch-run/interrupt-batch-run.command';
import { StartBatchRunCommand } from './start-batch-run/start-batch-run.command';

@Injectable() // for its constructor's metadata, which the handlers inherit
abstract class SubmitHandler {
  constructor(private readonly committer: GroupCommitter) {}

  execute(command: RunCommand): Promise<CommitResult> {
    return this.committer.submit(command);
  }
}

@CommandHandler(StartBatchRunCommand)
export class StartBatchRunHandler extends SubmitHandler implements ICommandHandler<StartBatchRunCommand> {}

@CommandHandler(AppendLogEntriesCommand)
export class AppendLogEntriesHandler extends SubmitHandler implements ICommandHandler<AppendLogEntriesCommand> {}

@CommandHandler(CompletePhaseCommand)
export class CompletePhaseHandler extends SubmitHandler implements ICommandHandler<CompletePhaseCommand> {}

@CommandHandler(FinishBatchRunCommand)
export class FinishBatchRunHandler extends SubmitHandler implements ICommandHandler<FinishBatchRunCommand> {}

@CommandHandler(InterruptBatchRunCommand)
export class InterruptBatchRunHandler extends SubmitHandler implements ICommandHandler<InterruptBatchRunCommand> {}

export const RUN_COMMAND_HANDLERS = [StartBatchRunHandler, AppendLogEntriesHandler, CompletePhaseHandler, FinishBatchRunHandler, InterruptBatchRunHandler];
