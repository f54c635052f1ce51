import { Module } from '@nestjs/common';
import { AssetsStore, UploadsStore } from './file-store.js';
import { StoreSweeper } from './store-sweeper.js';

@Module({
  providers: [AssetsStore, UploadsStore, StoreSweeper],
  exports: [AssetsStore, UploadsStore, StoreSweeper],
})
export class StorageModule {}
