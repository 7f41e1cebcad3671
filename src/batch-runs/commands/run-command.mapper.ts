/** A plain run command (the orchestrator's, or one read back from the spool) as the @nestjs/cqrs command class the CommandBus routes by; the class is itself a RunCommand, so nothing converts it back. */
import { Command } from '@nestjs/cqrs';
import { RunCommand } from '../domain/run.commands';
import { CommitResult } from '../persistence/group-committer';
import { AppendLogEntriesCommand } from './append-log-entries/append-log-entries.command';
import { CompletePhaseCommand } from './complete-phase/complete-phase.command';
import { FinishBatchRunCommand } from './finish-batch-run/finish-batch-run.command';
import { InterruptBatchRunCommand } from './interrupt-batch-run/interrupt-batch-run.command';
import { StartBatchRunCommand } from './start-batch-run/start-batch-run.command';

export function toCqrsCommand(command: RunCommand): Command<CommitResult> {
  switch (command.kind) {
    case 'start':
      return new StartBatchRunCommand(command.input);
    case 'append':
      return new AppendLogEntriesCommand(command.input);
    case 'completePhase':
      return new CompletePhaseCommand(command.input);
    case 'finish':
      return new FinishBatchRunCommand(command.input);
    case 'interrupt':
      return new InterruptBatchRunCommand(command.input);
  }
}
