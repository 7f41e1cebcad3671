/**
 * What every text and number of a request must be to be stored as sent, checked where the request
 * is validated: a value PostgreSQL would refuse must be a 400 naming the field, never a failed
 * commit (a 500, which also fails every other command of its group commit).
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { buildMessage, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { DATE_TIME_WITH_OFFSET, DATE_TIME_WITH_OFFSET_RULE } from '../../domain/run.decide';
import { MAX_COUNT, MAX_PHASE_LENGTH } from '../../domain/run.limits';
import { LOG_LEVELS, RUN_STATUSES } from '../../domain/run.types';

/** PostgreSQL `integer`: the job counts, seqs and totals are stored in int4 columns (the domain's MAX_COUNT). */
export const MAX_INT4 = MAX_COUNT;

/** At most what an integer column holds. */
export const MaxInt4 = (options?: ValidationOptions): PropertyDecorator => Max(MAX_INT4, options);

/** An optional count of jobs (total, completed, failed): a whole number from 0 to what int4 holds. */
export const OptionalJobCount = (description?: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT4, nullable: true, description }), IsOptional(), IsInt(), Min(0), MaxInt4());

/** PostgreSQL text and jsonb cannot hold NUL: rejected, like a message's (rewriting it would not be honest). */
export const NoNul = (options?: ValidationOptions): PropertyDecorator =>
  Matches(/^[^\u0000]*$/, { message: '$property must not contain NUL (\\u0000) characters', ...options });

/**
 * A lone surrogate cannot be stored as UTF-8 (a jsonb event refuses its `\ud800` escape): it becomes
 * U+FFFD, the rule messages follow too. Strings, and the strings of an array; anything else is left
 * for the type checks to refuse.
 */
export const WellFormed = (): PropertyDecorator =>
  Transform(({ value }) => (typeof value === 'string' ? value.toWellFormed() : Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toWellFormed() : v)) : value));

/**
 * A date-time JavaScript parses to a moment between the years 1 and 9999 (UTC), so that it reads the
 * same everywhere and PostgreSQL's timestamptz takes its ISO form: "9999-12-31T23:59:59-01:00" is
 * year 10000 in UTC, and "2020-W01-1" is valid ISO 8601 that Date cannot read.
 */
export function IsStorableDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableDateTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isStorableDateTime(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a date-time between the years 0001 and 9999 (UTC)`, options),
      },
    },
    options,
  );
}

/** A date-time that names its offset (Z or ±hh:mm): without one it would be read in the server's time zone. */
export function HasOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasOffset',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value),
        defaultMessage: buildMessage((each) => `${each}$property ${DATE_TIME_WITH_OFFSET_RULE}`, options),
      },
    },
    options,
  );
}

/**
 * An integer query parameter: plain decimal digits, nothing else. Number() reads "0x10" as 16, " 5" as
 * 5, "1e3" as 1000 and "" as 0, so a typo or a probe would be taken as some other number. Digits become
 * a number; anything else stays as it came and is refused, naming the parameter. Leading zeros are digits.
 */
export const QueryInteger = (options?: ValidationOptions): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value)),
    ValidateBy(
      {
        name: 'isDecimalInteger',
        validator: {
          validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
          defaultMessage: buildMessage((each) => `${each}$property must be an integer written in decimal digits (0-9)`, options),
        },
      },
      options,
    ),
  );

/**
 * Decorators as if written one above another over a property: applied bottom first, as TypeScript
 * does, so class-validator lists a field's messages in the same order as the stack written out.
 */
const Stacked = (...decorators: PropertyDecorator[]): PropertyDecorator => applyDecorators(...decorators.reverse());

/** The level filter of the log download and the searches: one of the log levels. */
export const LevelFilter = (): PropertyDecorator =>
  Stacked(ApiPropertyOptional({ enum: LOG_LEVELS, description: 'Only entries of this level.' }), IsOptional(), IsIn(LOG_LEVELS));

/** The phase filter of the log download and the searches: a phase name as a phase may be named. */
export const PhaseFilter = (): PropertyDecorator =>
  Stacked(
    ApiPropertyOptional({ minLength: 1, maxLength: MAX_PHASE_LENGTH, description: 'Only entries of this phase.' }),
    IsOptional(),
    IsString(),
    NoNul(),
    Length(1, MAX_PHASE_LENGTH),
  );

/** The status filter of the run list and the search across runs: one of the run statuses. */
export const RunStatusFilter = (): PropertyDecorator => Stacked(ApiPropertyOptional({ enum: RUN_STATUSES }), IsOptional(), IsIn(RUN_STATUSES));

/** The portfolio filter of the run list and the search across runs: a UUID. */
export const PortfolioIdFilter = (): PropertyDecorator => Stacked(ApiPropertyOptional({ format: 'uuid' }), IsOptional(), IsUUID('all'));

export function isStorableDateTime(text: string): boolean {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1 && year <= 9999;
}
