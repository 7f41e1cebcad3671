import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { RunRuleError } from '../batch-runs/domain/run.errors';

const STATUS: Record<RunRuleError['kind'], number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
};

const ERROR: Record<RunRuleError['kind'], string> = {
  not_found: 'Not Found',
  conflict: 'Conflict',
  invalid: 'Bad Request',
};

/** A broken rule of the decider, as the HTTP status that means it. */
@Catch(RunRuleError)
export class RunRuleErrorFilter implements ExceptionFilter {
  catch(error: RunRuleError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.status(STATUS[error.kind]).json({
      statusCode: STATUS[error.kind],
      error: ERROR[error.kind],
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
    });
  }
}
