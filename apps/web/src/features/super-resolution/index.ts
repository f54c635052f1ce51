import { defineTaskOptions, type TaskView } from '../task-view';
import { useImageOptions } from './image-options';
import ImageOptionsForm from './image-options-form.vue';
import ImageResult from './image-result.vue';
import SuperResolutionIcon from './super-resolution-icon.vue';

/** Image-to-image models (upscalers, restorers): a zoomable before/after comparison per file. */
export const superResolutionView: TaskView<'image-to-image'> = {
  task: 'image-to-image',
  texts: ({ t }) => ({
    label: t('superResolution.label'),
    dropTitle: (model) => t('superResolution.dropTitle', { model }),
    overlay: t('superResolution.overlay'),
    hint: t('superResolution.hint'),
    empty: t('superResolution.empty'),
    steps: (done, total) => t('superResolution.steps', { done, total }),
  }),
  icon: SuperResolutionIcon,
  result: ImageResult,
  options: defineTaskOptions({ use: useImageOptions, form: ImageOptionsForm }),
  describe: ({ t, format }, fileName, file) =>
    t('superResolution.done', {
      name: fileName,
      from: format.dimensions(file.inputWidth, file.inputHeight),
      to: format.dimensions(file.width, file.height),
    }),
  badge: ({ t }, model) =>
    model.scale && model.scale !== 1 ? t('superResolution.badge', { scale: model.scale }) : undefined,
  facts: ({ t }, model) =>
    model.scale ? [{ term: t('superResolution.scale'), detail: t('superResolution.perSide', { scale: model.scale }) }] : [],
};
