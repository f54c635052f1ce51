import { Module } from '@nestjs/common';
import { StorageModule } from '../../infrastructure/storage/storage.module.js';
import { UploadModule } from '../../platform/http/upload.module.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from '../../infrastructure/storage/uploads.service.js';

@Module({
  imports: [UploadModule, StorageModule],
  controllers: [UploadsController],
  providers: [UploadsService],
})
export class UploadsModule {}
