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
import { BullQueues } from '../infrastructure/queue/bull-queues.js';
import { UploadsStore } from '../infrastructure/storage/file-store.js';
import { AppConfig } from '../platform/config/app-config.js';
import { InferenceQueue, InProcessQueue, RemoteQueue } from './queue/inference-queue.js';
import { QueueConsumer } from './queue/queue-consumer.js';

/**
 * Models from the repository, run in worker threads, over HTTP: synchronously or as jobs. With
 * ROLE=api the requests go onto the models' queues instead, and ROLE=worker takes them from there.
 */
@Module({
  imports: [UploadModule, StorageModule],
  controllers: [InferenceController, JobsController],
  providers: [
    ModelRepository,
    ModelRegistry,
    DataPlane,
    JobsService,
    BullQueues,
    QueueConsumer,
    {
      provide: InferenceQueue,
      inject: [AppConfig, DataPlane, BullQueues, UploadsStore],
      useFactory: (config: AppConfig, dataPlane: DataPlane, queues: BullQueues, uploads: UploadsStore): InferenceQueue =>
        config.role === 'api' ? new RemoteQueue(queues, uploads) : new InProcessQueue(dataPlane),
    },
    ...TASK_HANDLERS,
  ],
  exports: [ModelRegistry, DataPlane, BullQueues],
})
export class InferenceModule {}
