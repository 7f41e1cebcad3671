/** The OpenTelemetry logs receiver: OTLP/HTTP in, the run commands of BatchRunsModule out. */
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { OtlpBodyGuard } from './otlp-body.guard';
import { OtlpLogsController } from './otlp-logs.controller';
import { OtlpReceiver } from './otlp-receiver';

@Module({
  imports: [CqrsModule],
  controllers: [OtlpLogsController],
  providers: [OtlpReceiver, OtlpBodyGuard],
})
export class OtlpModule {}
