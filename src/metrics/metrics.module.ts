/** GET /metrics (Prometheus text format) and what fills it: scrape-time gauges and HTTP request metrics. */
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { BatchRunsModule } from '../batch-runs/batch-runs.module';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { MetricsController } from './metrics.controller';
import { MetricsCoreModule } from './metrics-core.module';
import { RuntimeGauges } from './runtime.gauges';

@Module({
  imports: [MetricsCoreModule, BatchRunsModule],
  controllers: [MetricsController],
  providers: [RuntimeGauges, MetricsAuthGuard], // the middleware is built by Nest from apply(), once: a second instance would register its metrics twice
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*'); // every request, matched or not (404s too)
  }
}
