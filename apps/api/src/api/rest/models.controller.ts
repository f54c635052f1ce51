import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import type { InferenceResponse, JobAccepted, ModelListResponse, ModelSummary } from '@dlserve/shared';
import type { Response } from 'express';
import { ImageCodec } from '../../infrastructure/imaging/image-codec.js';
import { AppError } from '../../platform/errors/app-error.js';
import { toAppError } from '../../platform/http/api-exception.filter.js';
import { checkModelLimits } from '../../serving/repository/model-limits.js';
import { FilesUploadInterceptor } from '../../platform/http/files-upload.interceptor.js';
import { ParseImagesPipe, type UploadedImage, verifyImages } from '../../platform/http/parse-images.pipe.js';
import { DataPlane } from '../../serving/dataplane.js';
import { RequestSignal } from '../../platform/http/request-signal.js';
import { parseInferenceOptions } from './inference-options.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { ModelRepository } from '../../serving/repository/model-repository.js';

@Controller()
export class InferenceController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly repository: ModelRepository,
    private readonly dataPlane: DataPlane,
    private readonly jobs: JobsService,
    private readonly codec: ImageCodec,
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
  @UseInterceptors(FilesUploadInterceptor)
  async run(
    @Param('name') requested: string | undefined,
    @UploadedFiles(ParseImagesPipe) images: UploadedImage[],
    @Query() query: unknown,
    @Body() body: unknown,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) response: Response,
    @RequestSignal() signal: AbortSignal,
  ): Promise<InferenceResponse | JobAccepted> {
    const settings = parseInferenceOptions(query, body, prefer);
    const name = requested ?? this.registry.defaultModelName();
    if (name === null) throw new AppError('model_unavailable', 'No model is ready to serve /api/process yet.');
    // The model's limits, from the headers read at the edge: before anything is decoded or queued.
    const { manifest } = this.registry.ready(name);
    for (const image of images) {
      try {
        checkModelLimits(manifest, image.info);
      } catch (error) {
        throw toAppError(error).forFile(image.name);
      }
    }
    // A job answers 202 before the task's decode: its files are decoded once more now, so that a
    // damaged one is a 422 here rather than a failed job later.
    if (settings.async) await verifyImages(this.codec, images);
    const admission = this.registry.admit(name); // a 404, 503 or 429 now, not later in a job
    // A synchronous request is cancelled when its client goes away; a job, by DELETE /api/jobs/<id>.
    if (!settings.async) return this.dataPlane.infer(admission, images, settings, { signal });
    response.status(202);
    return this.jobs.start(name, (options) => this.dataPlane.infer(admission, images, settings, options));
  }
}
