import { type DynamicModule, Module } from '@nestjs/common';
import { CompressModule } from './tasks/compression/compression.module.js';
import type { AppConfig } from './platform/config/app-config.js';
import { ConfigModule } from './platform/config/config.module.js';
import { AccessModule } from './platform/access/access.module.js';
import { MetricsModule } from './platform/metrics/metrics.js';
import { InFlightRequests } from './platform/lifecycle/in-flight-requests.js';
import { LoadShedding } from './api/rest/load-shedding.js';
import { HealthModule } from './api/rest/health.module.js';
import { InferenceModule } from './serving/serving.module.js';
import { UploadsModule } from './api/rest/uploads.module.js';
import { WebAppModule } from './api/web/web-app.module.js';
import { OpenInferenceModule } from './api/v2/v2.module.js';
import { StatusModule } from './api/rest/status.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [InFlightRequests, LoadShedding],
      imports: [ConfigModule.forRoot(config), MetricsModule, AccessModule.forRoot(config), HealthModule, CompressModule, UploadsModule, InferenceModule, OpenInferenceModule, StatusModule, WebAppModule],
    };
  }
}
