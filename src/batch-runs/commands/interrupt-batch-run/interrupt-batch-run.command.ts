import { Command } from '@nestjs/cqrs';
import { InterruptRunInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

/** runlog's own command: finish a run whose writer stopped heartbeating, as failed, saying why. */
export class InterruptBatchRunCommand extends Command<CommitResult> {
  /** The command is its own RunCommand ({ kind, input }): the committer takes it as it is. */
  readonly kind = 'interrupt' as const;

  constructor(readonly input: InterruptRunInput) {
    super();
  }
}
