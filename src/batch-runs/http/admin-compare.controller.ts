/** A run compared with another, or with the last completed run of its portfolio or batch (role admin). */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { BatchRunIdPipe } from '../../http/batch-run-id.pipe';
import { ApiAuthErrors, ApiErrors, ApiJson, ApiRunIdParam, DATABASE_UNAVAILABLE } from '../../http/openapi-responses';
import { COMPARE_DEFAULT_LIMIT } from '../compare/compare.limits';
import { RunComparer } from '../compare/run-comparer';
import { CompareQueryDto } from './dto/compare-query.dto';
import { RunComparisonSchema } from './dto/compare-responses';

@ApiTags('admin')
@ApiBearerAuth()
@ApiAuthErrors('admin')
@ApiErrors({ 503: DATABASE_UNAVAILABLE })
@Roles('admin')
@Controller('api/v1/admin/batch/history')
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
