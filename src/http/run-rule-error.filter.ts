import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { RunRuleError } from '../batch-runs/domain/run.errors';
import { errorBody } from './error-body';

const STATUS: Record<RunRuleError['kind'], number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.BAD_REQUEST,
};

/** A broken rule of the decider, as the HTTP status that means it, in the one error shape with the rule's code. */
@Catch(RunRuleError)
export class RunRuleErrorFilter implements ExceptionFilter {
  catch(error: RunRuleError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = STATUS[error.kind];
    res.status(status).json(errorBody(status, error.message, error.code, error.field));
  }
}
