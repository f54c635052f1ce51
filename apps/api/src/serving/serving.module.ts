import { Module } from '@nestjs/common';
import { StorageModule } from '../infrastructure/storage/storage.module.js';
import { UploadModule } from '../platform/http/upload.module.js';
import { InferenceController } from '../api/rest/models.controller.js';
import { InferenceService } from './dataplane.js';
import { JobsController } from '../api/rest/jobs.controller.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ModelRegistry } from './lifecycle/model-registry.js';
import { ModelRepository } from './repository/model-repository.js';

/** Models from the repository, run in worker threads, over HTTP: synchronously or as jobs. */
@Module({
  imports: [UploadModule, StorageModule],
  controllers: [InferenceController, JobsController],
  providers: [ModelRepository, ModelRegistry, InferenceService, JobsService],
  exports: [ModelRegistry],
})
export class InferenceModule {}
