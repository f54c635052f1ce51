import { defineTaskOptions, type TaskView } from '../task-view';
import ClassificationIcon from './classification-icon.vue';
import { useClassificationOptions } from './classification-options';
import ClassificationOptionsForm from './classification-options-form.vue';
import ClassificationResult from './classification-result.vue';

/** Image-classification models: each file's best labels, with their scores. */
export const classificationView: TaskView<'image-classification'> = {
  task: 'image-classification',
  texts: {
    label: 'Classification',
    verb: 'classify',
    hint: 'Each file is sent on its own and labelled with the classes the model knows.',
    empty: ', each with its best labels',
    step: 'tile',
  },
  icon: ClassificationIcon,
  result: ClassificationResult,
  options: defineTaskOptions({ use: useClassificationOptions, form: ClassificationOptionsForm }),
  describe: (fileName, file) => {
    const best = [...file.labels].sort((a, b) => b.score - a.score)[0];
    return best ? `${fileName}: ${best.label}, ${Math.round(best.score * 100)}%.` : `${fileName}: no labels.`;
  },
  facts: (model) => (model.topK ? [{ term: 'Top labels', detail: String(model.topK) }] : []),
};
