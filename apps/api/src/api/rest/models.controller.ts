import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UploadedFiles, UseInterceptors } from '@nestjs/common';
import type { InferenceResponse, JobAccepted, ModelListResponse, ModelSummary } from '@dlserve/shared';
import type { Response } from 'express';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ImageCodec } from '../../infrastructure/imaging/image-codec.js';
import { AppError } from '../../platform/errors/app-error.js';
import { checkImagesFit } from '../../serving/repository/model-limits.js';
import { FilesUploadInterceptor } from '../../platform/http/files-upload.interceptor.js';
import { ParseImagesPipe, type UploadedImage, verifyImages } from '../../platform/http/parse-images.pipe.js';
import { InferenceQueue } from '../../serving/queue/inference-queue.js';
import { RequestSignal } from '../../platform/http/request-signal.js';
import { parseInferenceOptions } from './inference-options.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { ModelRegistry } from '../../serving/lifecycle/model-registry.js';
import { ModelRepository } from '../../serving/repository/model-repository.js';
import type { Admission } from '../../serving/lifecycle/model-registry.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { Admitted, ModelAdmission } from './model-admission.interceptor.js';
import { ACCESS_ERRORS, ApiAnswer, ApiErrors, ApiUpload, UPLOAD_ERRORS } from './openapi.js';

@ApiTags('models')
@ApiErrors(...ACCESS_ERRORS)
@Controller()
export class InferenceController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly repository: ModelRepository,
    private readonly inference: InferenceQueue,
    private readonly jobs: JobsService,
    private readonly codec: ImageCodec,
    private readonly config: AppConfig,
  ) {}

  @Get('models')
  @ApiOperation({ summary: 'The models, each with its state, task, options and examples' })
  @ApiAnswer(200, 'The models and the default one.', 'ModelListResponse')
  list(): ModelListResponse {
    return this.registry.list();
  }

  @Get('models/:name')
  @ApiOperation({ summary: 'One model' })
  @ApiAnswer(200, 'The model.', 'ModelSummary')
  @ApiErrors('not_found')
  describe(@Param('name') name: string): ModelSummary {
    return this.registry.describe(name);
  }

  @Get('models/:name/examples/:file')
  @ApiOperation({ summary: "One of a model's example images" })
  @ApiProduces('image/*')
  @ApiResponse({ status: 200, description: 'The image file.' })
  @ApiErrors('not_found')
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
  @ApiOperation({
    summary: 'Run a model on uploaded images',
    description:
      "`/api/models/{name}` runs the named model, `/api/process` the default one. The options that apply depend on the model's task (`topK`, `format`, the OCR settings). " +
      'With `async=1` or `Prefer: respond-async`, answers 202 with a job at once: follow it at `/api/jobs/{id}` or its events.',
  })
  @ApiParam({ name: 'name', description: 'The model (`GET /api/models` lists them); `/api/process` runs `DEFAULT_MODEL`.' })
  @ApiUpload('InferenceOptions', 'OcrSettings')
  @ApiQuery({ name: 'async', required: false, enum: ['1', 'true'], description: 'Answer 202 with a job instead of waiting.' })
  @ApiAnswer(200, "The model's results, by task.", 'ImageToImageResponse', 'ClassificationResponse', 'OcrResponse')
  @ApiAnswer(202, 'A job (asynchronous request).', 'JobAccepted')
  @ApiErrors(...UPLOAD_ERRORS, 'not_found', 'busy', 'model_unavailable', 'queue_unavailable', 'inference_failed', 'timeout')
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
      return this.inference.run(admission, images, settings, { signal, timeoutMs });
    }
    // A job answers 202 before the task's decode: its files are decoded once more now, so that a
    // damaged one is a 422 here rather than a failed job later.
    await verifyImages(this.codec, images);
    response.status(202);
    return this.jobs.start(admission.name, (options) => this.inference.run(admission, images, settings, { ...options, timeoutMs: this.config.jobTimeoutMs }));
  }
}
