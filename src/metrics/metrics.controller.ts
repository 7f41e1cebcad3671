/** GET /metrics: the Prometheus text exposition of this instance's registry. */
import { Controller, Get, Header, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { Public } from '../auth/public.decorator';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { METRICS_REGISTRY } from './metrics-registry';

@Public() // for the global AuthGuard: MetricsAuthGuard takes an admin token or METRICS_TOKEN
@UseGuards(MetricsAuthGuard)
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    const text = await this.registry.metrics();
    // Written as is: express's send() would rewrite the registry's Content-Type (charset moved before version).
    res.setHeader('Content-Type', this.registry.contentType);
    res.end(text);
  }
}
