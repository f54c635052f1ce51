import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { UploadModule } from '../upload/upload.module.js';
import { CompressBatchService } from './compress-batch.service.js';
import { CompressController } from './compress.controller.js';
import { CompressService } from './compress.service.js';

@Module({
  imports: [UploadModule, StorageModule],
  controllers: [CompressController],
  providers: [CompressService, CompressBatchService],
})
export class CompressModule {}
