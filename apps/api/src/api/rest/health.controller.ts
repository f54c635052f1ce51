import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { HealthResponse } from '@dlserve/shared';
import type { Response } from 'express';
import { SkipThrottle } from '@nestjs/throttler';
import { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { BullQueues } from '../../infrastructure/queue/bull-queues.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Open } from '../../platform/access/api-key.guard.js';
import { ApiAnswer, PROBE_RESULT } from './openapi.js';

/** Open and not rate-limited: load balancers and probes ask it often, without a key. */
@Open()
@SkipThrottle()
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly models: ModelRegistry,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly queues: BullQueues,
    private readonly config: AppConfig,
  ) {}

  /** Liveness (Kubernetes' livenessProbe): the process answers. Restart it only when this fails. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', security: [] })
  @ApiResponse({ status: 200, description: "terminus's health check result.", schema: PROBE_RESULT })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicator.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /**
   * Readiness (a load balancer's check, Docker's HEALTHCHECK): every enabled model loaded and
   * warmed; 503 with each model's state until then, and while draining for a shutdown. On an `api`
   * or `worker` node, Redis must answer too (`queue`), so that a load balancer sends no work to a
   * node that cannot queue it.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: every enabled model loaded and warmed up', security: [] })
  @ApiResponse({ status: 200, description: 'Ready.', schema: PROBE_RESULT })
  @ApiResponse({ status: 503, description: 'Loading, or draining for a shutdown.', schema: PROBE_RESULT })
  @HealthCheck()
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.readiness();
    } catch (error) {
      // terminus throws its 503 with the checks' result; answered here, as the probe result it is.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private readiness(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const session = this.indicator.check('models');
        return this.models.isReady() ? session.up(this.models.counts()) : session.down(this.models.counts());
      },
      ...(this.config.role === 'all'
        ? []
        : [
            () => {
              const queue = this.indicator.check('queue');
              return this.queues.reachable ? queue.up() : queue.down({ message: 'Redis (REDIS_URL) does not answer' });
            },
          ]),
    ]);
  }

  /**
   * 200 when ready: every enabled model loaded and warmed up (a disabled one does not hold it back).
   * Before the model repository is read no model is loading yet, and that is not ready.
   */
  @Get()
  @ApiOperation({ summary: 'Health summary, with the models by state', security: [] })
  @ApiAnswer(200, 'Ready.', 'HealthResponse')
  @ApiAnswer(503, 'Starting: models still loading.', 'HealthResponse')
  check(@Res({ passthrough: true }) response: Response): HealthResponse {
    const models = this.models.counts();
    const status = this.models.isReady() ? 'ok' : 'starting';
    response.status(status === 'ok' ? 200 : 503);
    return { status, uptimeSeconds: Math.round(process.uptime()), models };
  }
}
