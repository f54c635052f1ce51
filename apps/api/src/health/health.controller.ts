import { Controller, Get } from '@nestjs/common';
import type { HealthResponse } from '@dlserve/shared';

@Controller('health')
export class HealthController {
  /** 200 once the app has started: the HTTP server only listens after every module is ready. */
  @Get()
  check(): HealthResponse {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }
}
