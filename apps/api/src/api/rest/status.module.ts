import { Module } from '@nestjs/common';
import { StatusService } from '../../platform/metrics/status/status.service.js';
import { CompressModule } from '../../tasks/compression/compression.module.js';
import { InferenceModule } from '../../serving/serving.module.js';
import { StatusController } from './status.controller.js';

/** `GET /api/status`, for the web app's status page. */
@Module({ imports: [InferenceModule, CompressModule], controllers: [StatusController], providers: [StatusService] })
export class StatusModule {}
