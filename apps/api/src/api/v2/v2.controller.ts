import { Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Open } from '../../platform/access/api-key.guard.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { readRawBody } from '../../platform/http/raw-body.js';
import { RequestSignal } from '../../platform/http/request-signal.js';
import type { Admission } from '../../serving/lifecycle/model-registry.js';
import { Admitted, ModelAdmission } from '../rest/model-admission.interceptor.js';
import { OpenInferenceService, type ModelMetadata, type ServerMetadata } from './v2.service.js';

/**
 * The Open Inference Protocol's REST endpoints (KServe V2, as Triton serves them) at `/v2`,
 * outside the `/api` prefix. Errors are `{ "error": "…" }` (see `sendError`). Keys and the rate
 * limit apply as on `/api`, but for the two health probes.
 */
@ApiTags('open inference protocol')
@Controller('v2')
export class OpenInferenceController {
  constructor(
    private readonly service: OpenInferenceService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Server metadata: name, version, extensions' })
  server(): ServerMetadata {
    return this.service.serverMetadata();
  }

  @Open()
  @SkipThrottle()
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness', security: [] })
  live(): { live: true } {
    return { live: true };
  }

  @Open()
  @SkipThrottle()
  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: every enabled model loaded (503 until then)', security: [] })
  ready(): { ready: true } {
    this.service.checkReady();
    return { ready: true };
  }

  @Get(['models/:name', 'models/:name/versions/:version'])
  @ApiOperation({ summary: "A model's inputs and outputs: names, datatypes, shapes (-1 for a dynamic dimension)" })
  model(@Param('name') name: string, @Param('version') version?: string): ModelMetadata {
    return this.service.modelMetadata(name, version);
  }

  @Get(['models/:name/ready', 'models/:name/versions/:version/ready'])
  @ApiOperation({ summary: 'Whether the model is loaded' })
  modelReady(@Param('name') name: string, @Param('version') version?: string): { name: string; ready: true } {
    this.service.checkModelReady(name, version);
    return { name, ready: true };
  }

  /** Admitted (404, 503, 503 busy) before the body is read; the body read within MAX_REQUEST_BYTES. */
  @Post(['models/:name/infer', 'models/:name/versions/:version/infer'])
  @ApiOperation({
    summary: "Run the model's graph on tensors",
    description:
      'A JSON body `{inputs: [{name, shape, datatype, data}], outputs?}`, or, with `Inference-Header-Content-Length`, that JSON followed by the raw tensors (the binary tensor data extension). ' +
      'See the protocol: https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md',
  })
  @HttpCode(200)
  @UseInterceptors(ModelAdmission)
  async infer(
    @Admitted() admission: Admission,
    @Param('version') version: string | undefined,
    @Headers('inference-header-content-length') headerLength: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
    @RequestSignal() signal: AbortSignal,
  ): Promise<void> {
    this.service.checkVersion(admission.name, version);
    // The binary tensors start after the JSON header: read so that they are aligned for their types.
    const body = await readRawBody(request, this.config.maxRequestBytes, Number.parseInt(headerLength ?? '0', 10) || 0);
    const answer = await this.service.infer(admission, body, headerLength, signal);
    if (answer.headerLength !== null) {
      response.setHeader('Inference-Header-Content-Length', String(answer.headerLength));
      response.setHeader('Content-Type', 'application/octet-stream');
    } else {
      response.setHeader('Content-Type', 'application/json');
    }
    response.setHeader('Content-Length', String(answer.contentLength));
    response.status(200);
    response.write(answer.json);
    for (const bytes of answer.binary) response.write(bytes);
    response.end();
  }
}
