import { Module } from '@nestjs/common';
import { StorageModule } from '../../infrastructure/storage/storage.module.js';
import { UploadModule } from '../../platform/http/upload.module.js';
import { CompressBatchService } from './compression.service.js';
import { CompressController } from '../../api/rest/compress.controller.js';
import { CompressService } from './compressor.js';

@Module({
  imports: [UploadModule, StorageModule],
  controllers: [CompressController],
  providers: [CompressService, CompressBatchService],
})
export class CompressModule {}
