import { defineTaskOptions, type TaskView } from '../task-view';
import ClassificationIcon from './classification-icon.vue';
import { useClassificationOptions } from './classification-options';
import ClassificationOptionsForm from './classification-options-form.vue';
import ClassificationResult from './classification-result.vue';

/** Image-classification models: each file's best labels, with their scores. */
export const classificationView: TaskView<'image-classification'> = {
  task: 'image-classification',
  texts: ({ t }) => ({
    label: t('classification.label'),
    dropTitle: (model) => t('classification.dropTitle', { model }),
    overlay: t('classification.overlay'),
    hint: t('classification.hint'),
    empty: t('classification.empty'),
    steps: (done, total) => t('classification.steps', { done, total }),
  }),
  icon: ClassificationIcon,
  result: ClassificationResult,
  options: defineTaskOptions({ use: useClassificationOptions, form: ClassificationOptionsForm }),
  describe: ({ t, format }, fileName, file) => {
    const best = [...file.labels].sort((a, b) => b.score - a.score)[0];
    return best
      ? t('classification.done', { name: fileName, label: best.label, score: format.percent(best.score) })
      : t('classification.doneNone', { name: fileName });
  },
  facts: ({ t }, model) => (model.topK ? [{ term: t('classification.topLabels'), detail: String(model.topK) }] : []),
};
