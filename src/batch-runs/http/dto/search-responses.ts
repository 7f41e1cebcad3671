/**
 * The answers of the search routes, as OpenAPI components (docs/api.md, Search): what
 * SearchService returns. Documentation only; test/api/search.test.ts checks the answers.
 */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { MAX_COUNT } from '../../domain/run.limits';
import { SEARCH_LIMITS } from '../../search/search.limits';
import { MAX_RANGES_PER_LINE } from '../../search/search.ranges';
import { LogLineFields } from './log-line-fields';
import { LogEntrySchema, RunSchema } from './run-responses';

const RANGES = () =>
  ApiProperty({
    type: 'array',
    maxItems: MAX_RANGES_PER_LINE,
    items: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 2, maxItems: 2 },
    description: 'Each match in text as [start, end): UTF-16 offsets, end exclusive.',
  });

const TEXT = () => ApiProperty({ description: 'The message without ANSI escape sequences: what was matched.' });

@ApiSchema({ name: 'SearchMatch', description: 'A matching entry with the entries around it.' })
export class SearchMatchSchema {
  @ApiProperty({ type: LogEntrySchema, description: 'The entry; its message as stored (it may hold ANSI codes).' })
  entry: LogEntrySchema;

  @TEXT()
  text: string;

  @RANGES()
  ranges: [number, number][];

  @ApiProperty({ type: [LogEntrySchema], description: 'Up to `context` entries just before, in seq order, of any level or phase.' })
  before: LogEntrySchema[];

  @ApiProperty({ type: [LogEntrySchema], description: 'Up to `context` entries just after, in seq order, of any level or phase.' })
  after: LogEntrySchema[];
}

@ApiSchema({ name: 'RunSearchPage', description: 'A page of the matches in one run, in seq order.' })
export class RunSearchPageSchema {
  @ApiProperty()
  batch_run_id: string;

  @ApiProperty()
  q: string;

  @ApiProperty()
  regex: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_COUNT, description: 'All matches in the run (level and phase applied), not only this page.' })
  total_matches: number;

  @ApiProperty({ type: [SearchMatchSchema] })
  matches: SearchMatchSchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor for the next page; null on the last page.' })
  next_cursor: string | null;
}

@ApiSchema({ name: 'SearchLine', description: "One of a run's first matches." })
export class SearchLineSchema extends LogLineFields {
  @TEXT()
  text: string;

  @RANGES()
  ranges: [number, number][];
}

@ApiSchema({ name: 'RunMatches', description: 'A run with matches: how many, and its first ones.' })
export class RunMatchesSchema {
  @ApiProperty({ type: RunSchema })
  run: RunSchema;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_COUNT, description: 'Matches in the run (level and phase applied).' })
  match_count: number;

  @ApiProperty({ type: [SearchLineSchema], maxItems: SEARCH_LIMITS.firstMatchesPerRun, description: `The run's first ${SEARCH_LIMITS.firstMatchesPerRun} matches, in seq order.` })
  first_matches: SearchLineSchema[];
}

@ApiSchema({ name: 'RunsSearchPage', description: 'Runs with matches, newest first (started_at, then batch_run_id, descending).' })
export class RunsSearchPageSchema {
  @ApiProperty()
  q: string;

  @ApiProperty()
  regex: boolean;

  @ApiProperty({ type: [RunMatchesSchema] })
  runs: RunMatchesSchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor for the next page; null on the last page.' })
  next_cursor: string | null;
}
