import { Module } from '@nestjs/common';
import { AppConfig } from '../../platform/config/app-config.js';
import { ImageCodec } from './image-codec.js';

/** sharp behind one injectable class, for any feature that reads or writes images, with the configured limits. */
@Module({
  providers: [{ provide: ImageCodec, useFactory: (config: AppConfig) => new ImageCodec(config.imageLimits), inject: [AppConfig] }],
  exports: [ImageCodec],
})
export class ImagingModule {}
