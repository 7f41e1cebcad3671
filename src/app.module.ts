import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { AdminConsoleModule } from './admin-console/admin-console.module';
import { AuthModule } from './auth/auth.module';
import { BatchRunsModule } from './batch-runs/batch-runs.module';
import { Clock } from './common/clock';
import { CoreModule } from './common/core.module';
import { AppConfig } from './config/app.config';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { HealthProbesController } from './health/health-probes.controller';
import { HttpLimitsModule } from './http/http-limits.module';
import { MetricsModule } from './metrics/metrics.module';
import { OnboardingModule } from './onboarding/onboarding.module';
import { OrchestratorModule } from './orchestrator/orchestrator.module';
import { OtlpModule } from './otlp/otlp.module';

export interface AppOptions {
  config: AppConfig;
  /** Resolved before boot: the embedded server's URL or DATABASE_URL. */
  databaseUrl: string;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options.config, options.clock),
        DatabaseModule.forUrl(options.databaseUrl),
        AuthModule.forRoot(options.config),
        // One budget, used only by the download routes' DownloadThrottlerGuard.
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: options.config.rateLimitDownloadsPerMinute }]),
        ScheduleModule.forRoot(),
        HttpLimitsModule,
        BatchRunsModule,
        OrchestratorModule,
        OnboardingModule,
        OtlpModule,
        AdminConsoleModule,
        MetricsModule,
      ],
      controllers: [HealthController, HealthProbesController],
    };
  }
}
