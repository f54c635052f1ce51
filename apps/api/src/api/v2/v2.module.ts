import { Module } from '@nestjs/common';
import { InferenceModule } from '../../serving/serving.module.js';
import { OpenInferenceController } from './v2.controller.js';
import { OpenInferenceService } from './v2.service.js';

/** The Open Inference Protocol (KServe V2 REST) at `/v2`. */
@Module({
  imports: [InferenceModule],
  controllers: [OpenInferenceController],
  providers: [OpenInferenceService],
})
export class OpenInferenceModule {}
