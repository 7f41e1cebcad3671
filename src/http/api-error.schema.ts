/** The OpenAPI component of every error answer: the shape error-body.ts builds, and its known codes. */
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES } from './error-body';

@ApiSchema({ name: 'Error', description: 'Every error answer (4xx, 5xx) has this shape; see docs/api.md, Errors.' })
export class ApiErrorSchema {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 404, description: 'The HTTP status, repeated.' })
  statusCode: number;

  @ApiProperty({ example: 'Not Found', description: "The status's reason phrase." })
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'batch run "nope" does not exist',
    description: 'What is wrong; a validation error lists one item per field (array items by index).',
  })
  message: string | string[];

  @ApiProperty({ enum: ERROR_CODES, example: 'run_not_found', description: "Machine-readable: a rule's own code, else the status's generic one." })
  code: string;

  @ApiPropertyOptional({ example: 'entries.seq', description: 'The field at fault, when one is.' })
  field?: string;
}
