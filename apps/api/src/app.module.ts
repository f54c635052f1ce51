import { type DynamicModule, Module } from '@nestjs/common';
import { CompressModule } from './compress/compress.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { InferenceModule } from './inference/inference.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { WebAppModule } from './web/web-app.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), HealthModule, CompressModule, UploadsModule, InferenceModule, WebAppModule],
    };
  }
}
