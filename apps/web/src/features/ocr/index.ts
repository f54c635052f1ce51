import { defineTaskOptions, type TaskView } from '../task-view';
import OcrIcon from './ocr-icon.vue';
import OcrOptionsForm from './ocr-options-form.vue';
import OcrResult from './ocr-result.vue';
import { useOcrOptions } from './use-ocr-options';

/** OCR models: the text found in each file, line by line, with its boxes drawn on the image. */
export const ocrView: TaskView<'ocr'> = {
  task: 'ocr',
  texts: ({ t }) => ({
    label: t('ocr.label'),
    dropTitle: (model) => t('ocr.dropTitle', { model }),
    overlay: t('ocr.overlay'),
    hint: t('ocr.hint'),
    empty: t('ocr.empty'),
    // The server counts recognised lines, not tiles.
    steps: (done, total) => t('ocr.steps', { done, total }),
  }),
  icon: OcrIcon,
  result: OcrResult,
  options: defineTaskOptions({ use: useOcrOptions, form: OcrOptionsForm }),
  describe: ({ t }, fileName, file) => t('ocr.done', { name: fileName }, file.lines.length),
  wideResults: true,
};
