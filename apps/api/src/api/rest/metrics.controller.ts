import { Controller, Get, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Metrics } from '../../platform/metrics/metrics.js';
import { ApiErrors } from './openapi.js';

/** Prometheus's scrape target. Not rate-limited; behind `API_KEYS` when they are set (Prometheus sends a bearer token). */
@SkipThrottle()
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Requests, durations, queue and compute times, batch sizes, queue levels, worker restarts, store sizes, process metrics.' })
  @ApiErrors('unauthorized')
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.end(await this.metrics.render());
  }
}
