import { Injectable } from '@nestjs/common';
import type { ModelTask } from '@dlserve/shared';
import { ClassificationHandler } from './classification/handler.js';
import { OcrHandler } from './ocr/handler.js';
import { SuperResolutionHandler } from './super-resolution/handler.js';
import type { TaskHandler } from './task.js';

/** Each task's main-thread half (its worker half: `executors.ts`). */
@Injectable()
export class TaskHandlers {
  private readonly handlers: Record<ModelTask, TaskHandler>;

  constructor(superResolution: SuperResolutionHandler, classification: ClassificationHandler, ocr: OcrHandler) {
    this.handlers = { 'image-to-image': superResolution, 'image-classification': classification, ocr };
  }

  for(task: ModelTask): TaskHandler {
    return this.handlers[task];
  }
}

export const TASK_HANDLERS = [TaskHandlers, SuperResolutionHandler, ClassificationHandler, OcrHandler];
