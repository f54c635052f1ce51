import { Module } from '@nestjs/common';
import { InferenceModule } from '../../serving/serving.module.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { TerminusModule } from '@nestjs/terminus';

@Module({ imports: [InferenceModule, TerminusModule.forRoot({ logger: false })], controllers: [HealthController, MetricsController] })
export class HealthModule {}
