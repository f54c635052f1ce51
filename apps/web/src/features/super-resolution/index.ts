import { formatDimensions } from '../../shared/utils/format';
import { defineTaskOptions, type TaskView } from '../task-view';
import { useImageOptions } from './image-options';
import ImageOptionsForm from './image-options-form.vue';
import ImageResult from './image-result.vue';
import SuperResolutionIcon from './super-resolution-icon.vue';

/** Image-to-image models (upscalers, restorers): a zoomable before/after comparison per file. */
export const superResolutionView: TaskView<'image-to-image'> = {
  task: 'image-to-image',
  texts: {
    label: 'Image → image',
    verb: 'process',
    hint: 'Each file is sent on its own; large images are processed in tiles.',
    empty: ', each with a zoomable before/after comparison and a download link',
    step: 'tile',
  },
  icon: SuperResolutionIcon,
  result: ImageResult,
  options: defineTaskOptions({ use: useImageOptions, form: ImageOptionsForm }),
  describe: (fileName, file) =>
    `${fileName} done: ${formatDimensions(file.inputWidth, file.inputHeight)} to ` +
    `${formatDimensions(file.width, file.height)}.`,
  badge: (model) => (model.scale && model.scale !== 1 ? `Upscale ×${model.scale}` : undefined),
  facts: (model) => (model.scale ? [{ term: 'Scale', detail: `×${model.scale} per side` }] : []),
};
