import { Module } from '@nestjs/common';
import { StorageModule } from '../infrastructure/storage/storage.module.js';
import { UploadModule } from '../platform/http/upload.module.js';
import { InferenceController } from '../api/rest/models.controller.js';
import { DataPlane } from './dataplane.js';
import { TASK_HANDLERS } from '../tasks/handlers.js';
import { JobsController } from '../api/rest/jobs.controller.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ModelRegistry } from './lifecycle/model-registry.js';
import { ModelRepository } from './repository/model-repository.js';

/** Models from the repository, run in worker threads, over HTTP: synchronously or as jobs. */
@Module({
  imports: [UploadModule, StorageModule],
  controllers: [InferenceController, JobsController],
  providers: [ModelRepository, ModelRegistry, DataPlane, JobsService, ...TASK_HANDLERS],
  exports: [ModelRegistry, DataPlane],
})
export class InferenceModule {}
