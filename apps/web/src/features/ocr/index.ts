import { defineTaskOptions, type TaskView } from '../task-view';
import OcrIcon from './ocr-icon.vue';
import OcrOptionsForm from './ocr-options-form.vue';
import OcrResult from './ocr-result.vue';
import { useOcrOptions } from './use-ocr-options';

/** OCR models: the text found in each file, line by line, with its boxes drawn on the image. */
export const ocrView: TaskView<'ocr'> = {
  task: 'ocr',
  texts: {
    label: 'Text recognition',
    verb: 'read',
    hint: 'Each file is sent on its own; the text found is listed line by line, its boxes drawn on the image.',
    empty: ', each with the text found, its boxes on the image, and a copy button',
    // The server counts recognised lines, not tiles.
    step: 'line',
  },
  icon: OcrIcon,
  result: OcrResult,
  options: defineTaskOptions({ use: useOcrOptions, form: OcrOptionsForm }),
  describe: (fileName, file) => {
    const count = file.lines.length;
    if (count === 0) return `${fileName}: no text found.`;
    return `${fileName}: ${count} ${count === 1 ? 'line' : 'lines'} of text recognised.`;
  },
  wideResults: true,
};
