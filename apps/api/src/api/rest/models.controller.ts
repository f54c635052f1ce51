import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import type { InferenceResponse, JobAccepted, ModelListResponse, ModelSummary } from '@dlserve/shared';
import type { Response } from 'express';
import { ImageCodec } from '../../infrastructure/imaging/image-codec.js';
import { AppError } from '../../platform/errors/app-error.js';
import { checkImagesFit } from '../../serving/repository/model-limits.js';
import { FilesUploadInterceptor } from '../../platform/http/files-upload.interceptor.js';
import { ParseImagesPipe, type UploadedImage, verifyImages } from '../../platform/http/parse-images.pipe.js';
import { DataPlane } from '../../serving/dataplane.js';
import { RequestSignal } from '../../platform/http/request-signal.js';
import { parseInferenceOptions } from './inference-options.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { ModelRepository } from '../../serving/repository/model-repository.js';
import type { Admission } from '../../serving/lifecycle/model-registry.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { Admitted, ModelAdmission } from './model-admission.interceptor.js';

@Controller()
export class InferenceController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly repository: ModelRepository,
    private readonly dataPlane: DataPlane,
    private readonly jobs: JobsService,
    private readonly codec: ImageCodec,
    private readonly config: AppConfig,
  ) {}

  @Get('models')
  list(): ModelListResponse {
    return this.registry.list();
  }

  @Get('models/:name')
  describe(@Param('name') name: string): ModelSummary {
    return this.registry.describe(name);
  }

  @Get('models/:name/examples/:file')
  example(@Param('name') name: string, @Param('file') file: string, @Res() response: Response): void {
    const path = this.repository.examplePath(this.registry.entry(name), file);
    if (!path) throw new AppError('not_found', `The model '${name}' has no example '${file}'.`);
    response.sendFile(path, { maxAge: '1h' });
  }

  /**
   * Runs a model on the uploaded images (`the_file`); with `?async=1`, answers 202 and a job.
   * `/api/process` is the reference design's generic endpoint: the default model (`DEFAULT_MODEL`).
   */
  @Post(['models/:name', 'process'])
  @HttpCode(200)
  @UseInterceptors(ModelAdmission, FilesUploadInterceptor)
  async run(
    @Admitted() admission: Admission,
    @UploadedFiles(ParseImagesPipe) images: UploadedImage[],
    @Query() query: unknown,
    @Body() body: unknown,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @RequestSignal() signal: AbortSignal,
  ): Promise<InferenceResponse | JobAccepted> {
    const settings = parseInferenceOptions(query, body, prefer);
    // The model's limits, from the headers read at the edge: before anything is decoded or queued.
    await checkImagesFit(admission.model.manifest, images);
    // A synchronous request is cancelled when its client goes away or its time is up; a job, by DELETE /api/jobs/<id>.
    if (!settings.async) {
      const timeoutMs = (admission.model.manifest.scheduler?.requestTimeoutSeconds ?? 0) * 1000 || this.config.requestTimeoutMs;
      return this.dataPlane.infer(admission, images, settings, { signal, timeoutMs });
    }
    // A job answers 202 before the task's decode: its files are decoded once more now, so that a
    // damaged one is a 422 here rather than a failed job later.
    await verifyImages(this.codec, images);
    response.status(202);
    return this.jobs.start(admission.name, (options) => this.dataPlane.infer(admission, images, settings, { ...options, timeoutMs: this.config.jobTimeoutMs }));
  }
}
