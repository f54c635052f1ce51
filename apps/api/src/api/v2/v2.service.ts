import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/errors/app-error.js';
import { DLSERVE_VERSION } from '../../platform/version.js';
import { DataPlane } from '../../serving/dataplane.js';
import { ModelRegistry, type Admission, type ServingModel } from '../../serving/lifecycle/model-registry.js';
import type { ModelSignature, TensorMetadata } from '../../serving/tensors/tensor.js';
import { parseInferRequest } from './v2-request.js';
import { encodeInferResponse, type EncodedResponse } from './v2-response.js';

/** dlserve serves one version of each model: the folder it has. */
export const MODEL_VERSION = '1';
/** Triton's name for ONNX Runtime models. */
const PLATFORM = 'onnxruntime_onnx';

export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/**
 * The Open Inference Protocol (KServe V2) over the serving core: metadata from the model's
 * workers (its main session's signature), tensors through its instance group like any request.
 */
@Injectable()
export class OpenInferenceService {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly dataPlane: DataPlane,
    private readonly config: AppConfig,
  ) {}

  serverMetadata(): ServerMetadata {
    return { name: 'dlserve', version: DLSERVE_VERSION, extensions: ['binary_tensor_data'] };
  }

  /** 503 `unavailable` until every enabled model is loaded and warmed up (a disabled one does not hold it back). */
  checkReady(): void {
    if (this.registry.isReady()) return;
    const { loading } = this.registry.counts();
    throw new AppError('unavailable', `The server is not ready: ${loading} model(s) still loading.`);
  }

  /** 404 for an unknown model or version, 503 for one loading or disabled. */
  modelMetadata(name: string, version: string | undefined): ModelMetadata {
    const signature = this.signature(this.model(name, version));
    return { name, versions: [MODEL_VERSION], platform: PLATFORM, inputs: signature.inputs, outputs: signature.outputs };
  }

  /** Throws unless the model is ready (404 unknown, 503 loading or disabled). */
  checkModelReady(name: string, version: string | undefined): void {
    this.model(name, version);
  }

  /** 404 for a version other than the one each model has (before the body is read). */
  checkVersion(name: string, version: string | undefined): void {
    if (version !== undefined && version !== MODEL_VERSION) {
      throw new AppError('not_found', `The model '${name}' has no version '${version}'; its one version is '${MODEL_VERSION}'.`);
    }
  }

  /** Runs an admitted request's body (JSON, or JSON then binary tensors) on the model's workers. */
  async infer(admission: Admission, body: Uint8Array, headerLength: string | undefined, signal: AbortSignal): Promise<EncodedResponse> {
    // A bad request's admission is released by ModelAdmission.
    const request = parseInferRequest(body, headerLength, this.signature(this.registry.ready(admission.name)));
    const { manifest } = admission.model;
    const timeoutMs = (manifest.scheduler?.requestTimeoutSeconds ?? 0) * 1000 || this.config.requestTimeoutMs;
    const outputs = await this.dataPlane.inferTensors(admission, request.unit, { signal, timeoutMs });
    return encodeInferResponse({ name: admission.name, version: MODEL_VERSION }, request.id ?? randomUUID(), outputs, request.binaryOutputs);
  }

  private model(name: string, version: string | undefined): ServingModel {
    const model = this.registry.ready(name);
    this.checkVersion(name, version);
    return model;
  }

  private signature(model: ServingModel): ModelSignature {
    const signature = model.main.workers.signature;
    if (!signature) throw new AppError('model_unavailable', `The model '${model.name}' has not reported its inputs and outputs yet.`);
    return signature;
  }
}
