import { Module } from '@nestjs/common';
import { AssetsStore, UploadsStore } from './file-store.js';

@Module({
  providers: [AssetsStore, UploadsStore],
  exports: [AssetsStore, UploadsStore],
})
export class StorageModule {}
