import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module.js';
import { UploadModule } from '../upload/upload.module.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from './uploads.service.js';

@Module({
  imports: [UploadModule, StorageModule],
  controllers: [UploadsController],
  providers: [UploadsService],
})
export class UploadsModule {}
