import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { UploadModule } from '../upload/upload.module.js';
import { InferenceController } from './inference.controller.js';
import { InferenceService } from './inference.service.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { ModelRegistry } from './model-registry.js';
import { ModelRepository } from './model-repository.js';

/** Models from the repository, run in worker threads, over HTTP: synchronously or as jobs. */
@Module({
  imports: [UploadModule, StorageModule],
  controllers: [InferenceController, JobsController],
  providers: [ModelRepository, ModelRegistry, InferenceService, JobsService],
  exports: [ModelRegistry],
})
export class InferenceModule {}
