import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { BATCH_RUN_ID_PATTERN, BATCH_RUN_ID_RULE } from '../batch-runs/domain/run.limits';

/** A path's batchRunId must have the shape of one; anything else is a 400 naming it. */
@Injectable()
export class BatchRunIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!BATCH_RUN_ID_PATTERN.test(value)) throw new BadRequestException(`batchRunId ${BATCH_RUN_ID_RULE}`);
    return value;
  }
}
