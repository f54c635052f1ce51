import { Controller, Get, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { HealthResponse } from '@dlserve/shared';
import type { Response } from 'express';
import { SkipThrottle } from '@nestjs/throttler';
import { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { Open } from '../../platform/access/api-key.guard.js';

/** Open and not rate-limited: load balancers and probes ask it often, without a key. */
@Open()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly models: ModelRegistry,
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** Liveness (Kubernetes' livenessProbe): the process answers. Restart it only when this fails. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicator.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /**
   * Readiness (a load balancer's check, Docker's HEALTHCHECK): every enabled model loaded and
   * warmed; 503 with each model's state until then, and while draining for a shutdown.
   */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const session = this.indicator.check('models');
        return this.models.isReady() ? session.up(this.models.counts()) : session.down(this.models.counts());
      },
    ]);
  }

  /**
   * 200 when ready: every enabled model loaded and warmed up (a disabled one does not hold it back).
   * Before the model repository is read no model is loading yet, and that is not ready.
   */
  @Get()
  check(@Res({ passthrough: true }) response: Response): HealthResponse {
    const models = this.models.counts();
    const status = this.models.isReady() ? 'ok' : 'starting';
    response.status(status === 'ok' ? 200 : 503);
    return { status, uptimeSeconds: Math.round(process.uptime()), models };
  }
}
