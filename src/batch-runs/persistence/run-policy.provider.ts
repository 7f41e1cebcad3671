import { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app.config';
import { compileRedactor, RunPolicy } from '../domain/run.policy';

export const RUN_POLICY = Symbol('RUN_POLICY');

/** The decider's configurable rules, compiled once from the environment (a bad pattern stops the start). */
export const runPolicyProvider: Provider = {
  provide: RUN_POLICY,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): RunPolicy => ({
    maxEntriesPerRun: config.maxEntriesPerRun,
    redact: compileRedactor(config.redactPatterns),
  }),
};
