/** A run compared with another, or with the last completed run of its portfolio or batch (role admin). */
import { Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { ApiErrors, ApiJson, ApiRunIdParam } from '../../http/openapi-responses';
import { COMPARE_DEFAULT_LIMIT } from '../compare/compare.limits';
import { RunComparer } from '../compare/run-comparer';
import { AdminController } from './admin-controller.decorator';
import { CompareQueryDto } from './dto/compare-query.dto';
import { RunComparisonSchema } from './dto/compare-responses';

@AdminController('api/v1/admin/batch/history')
export class AdminCompareController {
  constructor(private readonly comparer: RunComparer) {}

  @Get(':batchRunId/compare')
  @ApiOperation({
    summary: 'Compare a run with another: phases side by side, and the lines only in one or the other after normalising numbers, timestamps, ids and UUIDs',
  })
  @ApiRunIdParam()
  @ApiJson(200, RunComparisonSchema, 'The comparison.')
  @ApiErrors({
    400: 'with missing or not a run id, limit outside 1-1000 or not decimal digits, an unknown query field, a malformed id.',
    404: 'run_not_found: no such run (either one); no_comparable_run: with=last_completed found no completed run to compare with.',
  })
  async compare(@Param('batchRunId', BatchRunIdPipe) batchRunId: string, @Query() query: CompareQueryDto) {
    return this.comparer.compare(batchRunId, query.with, query.limit ?? COMPARE_DEFAULT_LIMIT);
  }
}
