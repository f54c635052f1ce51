import { Module } from '@nestjs/common';
import { ImageCodec } from './image-codec.js';

/** sharp behind one injectable class, for any feature that reads or writes images. */
@Module({
  providers: [ImageCodec],
  exports: [ImageCodec],
})
export class ImagingModule {}
