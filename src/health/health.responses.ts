/** The health routes' answers, as OpenAPI components. */
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Health' })
export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: string;
}

@ApiSchema({ name: 'ReadinessChecks', description: 'Each check: "ok", or why it failed.' })
export class ReadinessChecksSchema {
  @ApiProperty({ example: 'ok' })
  write_pool: string;

  @ApiProperty({ example: 'ok' })
  database: string;
}

@ApiSchema({ name: 'Readiness' })
export class ReadinessSchema {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: string;

  @ApiProperty({ type: () => ReadinessChecksSchema })
  checks: ReadinessChecksSchema;
}
