/**
 * HTTP requests by route and status, with their duration. A middleware, not an interceptor: a request
 * a guard refuses (401, 403, 429) never reaches an interceptor, and a streamed answer (download, SSE)
 * ends long after its handler returned. So a request is counted on the response's 'close', which
 * comes once the response has been sent, and also when its connection closes first (a client that
 * left mid-download): one listener, one count.
 *
 * The route label is the route's pattern as express matched it (`/api/v1/admin/batch/history/:batchRunId/logs`),
 * never the raw URL, so its values are bounded by the routes the app has; a request no route matched
 * (404 of an unknown path) is `(unmatched)`.
 */
import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics-registry';

const LABELS = ['method', 'route', 'status'] as const;
type Label = (typeof LABELS)[number];

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly requests: Counter<Label>;
  private readonly duration: Histogram<Label>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({ name: 'runlog_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.', labelNames: LABELS, registers: [registry] });
    this.duration = new Histogram({
      name: 'runlog_http_request_duration_seconds',
      help: "From the request's arrival to its response's end (a download or event stream: until it is sent or closed).",
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      this.requests.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}

function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl ?? ''}${pattern}` : '(unmatched)';
}
