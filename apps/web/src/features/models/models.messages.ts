import { defineMessages } from '../../shared/i18n/define-messages';

/** A model's page: its info card, the tool, the job cards. */
export const modelsMessages = defineMessages(
  {
    status: {
      ready: 'Ready',
      loading: 'Loading',
      failed: 'Unavailable',
    },
    info: {
      licence: 'Licence',
      source: 'Source',
      examples: 'Try an example',
      runExample: 'Run {model} on the example {file}',
    },
    page: {
      missing: 'No model called “{name}”',
      missingHint: 'It may have been removed or renamed on the server.',
      goCompress: 'Go to image compression',
      loadFailed: 'The models could not be loaded: {error}',
      loading: 'Loading models…',
    },
    tool: {
      unknownTask: 'This page cannot show results of this kind of model yet.',
      loading: '{model} is loading on the server. You can add images as soon as it is ready.',
      unavailable: 'This model is unavailable.',
    },
    job: {
      queued: 'Queued',
      queuedAhead: 'Queued ({n} ahead)',
      queuedNext: 'Queued (next)',
      running: 'Running…',
      starting: 'Starting…',
      processing: 'Processing',
      processingStep: 'Processing',
      upload: 'Upload',
      waitingSlot: 'Waiting for a slot',
      uploadingFile: 'Uploading {name}',
      processingFile: 'Processing {name}',
    },
  },
  {
    status: {
      ready: '就绪',
      loading: '加载中',
      failed: '不可用',
    },
    info: {
      licence: '许可证',
      source: '来源',
      examples: '试试示例图片',
      runExample: '用 {model} 处理示例图片 {file}',
    },
    page: {
      missing: '没有名为“{name}”的模型',
      missingHint: '它可能已在服务器上被删除或改名。',
      goCompress: '去压缩图片',
      loadFailed: '模型列表加载失败：{error}',
      loading: '正在加载模型…',
    },
    tool: {
      unknownTask: '本页面暂时无法显示这类模型的结果。',
      loading: '{model} 正在服务器上加载，加载完成后即可添加图片。',
      unavailable: '该模型不可用。',
    },
    job: {
      queued: '排队中',
      queuedAhead: '排队中（前面还有 {n} 个）',
      queuedNext: '排队中（下一个）',
      running: '处理中…',
      starting: '正在开始…',
      processing: '处理中',
      processingStep: '处理',
      upload: '上传',
      waitingSlot: '等待空位',
      uploadingFile: '正在上传 {name}',
      processingFile: '正在处理 {name}',
    },
  },
);
