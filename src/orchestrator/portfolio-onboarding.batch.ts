/**
 * The demo batch: portfolio onboarding in the original system's style, eight phases from market data
 * to the portfolio snapshot, with realistic progress lines and a few warnings. Its pace is set by
 * DEMO_BATCH_SECONDS (the whole batch's duration; 0 runs it as fast as possible).
 */
import { setTimeout as sleep } from 'timers/promises';
import { seededRandom } from '../common/seeded-random';
import { BatchDefinition, JobContext, JobDefinition } from './batch-definition';

type Step = (ctx: JobContext, rng: () => number) => Promise<void> | void;

const PHASES: Array<{ name: string; jobs: Array<[string, Step[]]> }> = [
  {
    name: 'Phase 1: Market Data Collection',
    jobs: [
      ['fetch_prices', [
        (c, r) => c.info(`Fetching daily prices for ${40 + Math.floor(r() * 60)} symbols (lookback 365 days)`),
        (c, r) => c.info(`Prices stored: ${9000 + Math.floor(r() * 9000)} rows upserted`),
        (c) => c.warn('No price data for 2 delisted symbols (ZZZX, QQQB): using last known close'),
      ]],
      ['fetch_fx_rates', [(c) => c.info('FX rates loaded for USD, EUR, GBP, JPY (4 currencies)')]],
    ],
  },
  {
    name: 'Phase 1.5: Factor Coverage',
    jobs: [
      ['check_factor_coverage', [
        (c, r) => c.info(`Factor ETF coverage: ${(92 + r() * 7).toFixed(1)}% of positions mapped`),
        (c) => c.warn('3 positions without factor proxies; they will be excluded from factor regression'),
      ]],
    ],
  },
  {
    name: 'Phase 2: Fundamentals',
    jobs: [
      ['fetch_company_profiles', [(c, r) => c.info(`Company profiles refreshed: ${30 + Math.floor(r() * 40)} updated, 0 failed`)]],
      ['fetch_earnings', [(c) => c.info('Quarterly fundamentals loaded (last 8 quarters)')]],
    ],
  },
  {
    name: 'Phase 3: Position Valuation',
    jobs: [
      ['value_positions', [
        (c, r) => c.info(`Valued ${20 + Math.floor(r() * 30)} positions; market value $${(1 + r() * 9).toFixed(2)}M`),
        (c) => c.info('P&L attribution computed against prior close'),
      ]],
    ],
  },
  {
    name: 'Phase 4: Factor Exposures',
    jobs: [
      ['regress_factors', [
        (c) => c.info('Running 7-factor regression (Market, Size, Value, Momentum, Quality, Low Vol, Growth)'),
        (c, r) => c.info(`Regression done: mean R² ${(0.55 + r() * 0.3).toFixed(2)}`),
      ]],
      ['aggregate_exposures', [(c) => c.info('Portfolio-level factor exposures aggregated')]],
    ],
  },
  {
    name: 'Phase 5: Correlations',
    jobs: [
      ['correlation_matrix', [
        (c) => c.info('Computing 90-day correlation matrix'),
        (c) => c.warn('Short history (< 60 days) for 1 position: correlation marked low-confidence'),
      ]],
    ],
  },
  {
    name: 'Phase 6: Stress Testing',
    jobs: [
      ['run_scenarios', [
        (c) => c.info('Running 12 historical and hypothetical stress scenarios'),
        (c, r) => c.info(`Worst scenario: 2008 Financial Crisis, ${(-18 - r() * 15).toFixed(1)}% portfolio impact`),
      ]],
    ],
  },
  {
    name: 'Phase 7: Portfolio Snapshot',
    jobs: [
      ['write_snapshot', [(c) => c.info('Portfolio snapshot written; analytics cache warmed')]],
      ['notify_owner', [(c) => c.info('Onboarding complete: owner notified')]],
    ],
  },
];

const STEP_COUNT = PHASES.reduce((n, p) => n + p.jobs.reduce((m, [, steps]) => m + steps.length, 0), 0);

export interface DemoBatchOptions {
  /** The whole batch's duration in seconds. */
  seconds: number;
  /** Seeds the numbers in the lines, so a portfolio's run reads the same each time. */
  seed?: string;
}

export function portfolioOnboardingBatch(options: DemoBatchOptions): BatchDefinition {
  const stepMs = (options.seconds * 1000) / STEP_COUNT;
  const rng = seededRandom(options.seed ?? 'demo');
  return {
    name: 'portfolio onboarding',
    phases: PHASES.map((phase) => ({
      name: phase.name,
      jobs: phase.jobs.map(([name, steps]): JobDefinition => ({
        name,
        async run(ctx) {
          for (const step of steps) {
            if (stepMs > 0) await sleep(stepMs);
            await step(ctx, rng);
          }
        },
      })),
    })),
  };
}
