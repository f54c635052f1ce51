import { Controller, Get, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Metrics } from '../../platform/metrics/metrics.js';

/** Prometheus's scrape target. Not rate-limited; behind `API_KEYS` when they are set (Prometheus sends a bearer token). */
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.end(await this.metrics.render());
  }
}
