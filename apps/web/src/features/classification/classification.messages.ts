import { defineMessages } from '../../shared/i18n/define-messages';

/** Image-classification models: the tool's texts, options and result card. */
export const classificationMessages = defineMessages(
  {
    label: 'Classification',
    dropTitle: 'Drop images to classify with {model}',
    overlay: 'Drop to classify',
    hint: 'Each file is sent on its own and labelled with the classes the model knows.',
    empty: 'Results appear here, each with its best labels.',
    steps: 'tile {done} of {total}',
    done: '{name}: {label}, {score}.',
    doneNone: '{name}: no labels.',
    topLabels: 'Top labels',
    labelsToShow: 'Labels to show',
    labelsFor: 'Labels for {name}',
    none: 'The model returned no labels for this image.',
    time: 'Time',
  },
  {
    label: '图像分类',
    dropTitle: '拖放图片到这里，用 {model} 分类',
    overlay: '松开即可分类',
    hint: '每个文件单独发送，并标注模型认识的类别。',
    empty: '结果会显示在这里，每张图附带最可能的几个标签。',
    steps: '第 {done}/{total} 块',
    done: '{name}：{label}，{score}。',
    doneNone: '{name}：没有标签。',
    topLabels: '默认标签数',
    labelsToShow: '显示标签数',
    labelsFor: '{name} 的标签',
    none: '模型没有为这张图片返回标签。',
    time: '耗时',
  },
);
