import { Module } from '@nestjs/common';
import { StorageModule } from '../../infrastructure/storage/storage.module.js';
import { UploadModule } from '../../platform/http/upload.module.js';
import { CompressAdmission } from '../../api/rest/compress-admission.interceptor.js';
import { CompressBatchService } from './compression.service.js';
import { CompressController } from '../../api/rest/compress.controller.js';
import { CompressionPool } from './compression-pool.js';

@Module({
  imports: [UploadModule, StorageModule],
  controllers: [CompressController],
  providers: [CompressionPool, CompressBatchService, CompressAdmission],
  exports: [CompressionPool],
})
export class CompressModule {}
