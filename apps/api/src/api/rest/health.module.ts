import { Module } from '@nestjs/common';
import { InferenceModule } from '../../serving/serving.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [InferenceModule], controllers: [HealthController] })
export class HealthModule {}
