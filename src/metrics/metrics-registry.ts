/**
 * The Prometheus registry of one app instance. Not prom-client's global one: tests start several apps
 * in one process, and each must report its own numbers (a second registration of a name in one
 * registry throws). The default process metrics (heap, RSS, event loop lag, GC) are registered on it.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
