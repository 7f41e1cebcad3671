import { Command } from '@nestjs/cqrs';
import { InterruptRunInput } from '../../domain/run.commands';
import { CommitResult } from '../../persistence/group-committer';

/** runlog's own command: finish a run whose writer stopped heartbeating, as failed, saying why. */
export class InterruptBatchRunCommand extends Command<CommitResult> {
  constructor(readonly input: InterruptRunInput) {
    super();
  }
}
