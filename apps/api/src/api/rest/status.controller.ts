import { Controller, Get, Header } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StatusResponse } from '@dlserve/shared';
import { StatusService } from '../../platform/metrics/status/status.service.js';
import { ApiAnswer, ApiErrors } from './openapi.js';

/**
 * The status page's figures. Behind `API_KEYS` like `/api/metrics` (it tells the traffic); not
 * rate-limited, since every open status page asks every few seconds.
 */
@SkipThrottle()
@ApiTags('operations')
@Controller('status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Each model and the compressor: state, queue, and the last minutes of requests, errors, latency and batch size',
    description:
      'Sampled from the Prometheus metrics every `STATUS_INTERVAL_SECONDS` over `STATUS_WINDOW_MINUTES`; each point is over the minute before it, and the last point is now. ' +
      'Requests are the POSTs that ran the model or the compressor; errors are those answered 4xx (client) and 5xx (server: busy, unavailable, failed, timed out).',
  })
  @ApiAnswer(200, 'The figures.', 'StatusResponse')
  @ApiErrors('unauthorized')
  get(): Promise<StatusResponse> {
    return this.status.status();
  }
}
