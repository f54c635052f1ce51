import { defineMessages } from '../i18n/define-messages';

/** The shared building blocks of every tool: drop zone, options card, result cards, comparison. */
export const uiMessages = defineMessages(
  {
    dropZone: {
      title: 'Drop images anywhere on this page',
      hint: 'JPEG, PNG, WebP, AVIF, GIF, TIFF or HEIF — each file is compressed on its own.',
      overlay: 'Drop to compress',
      choose: 'Choose images',
    },
    options: {
      applyNext: 'Apply to files you add next.',
      reset: 'Reset',
      modelOptions: 'Model options',
    },
    results: {
      title: 'Results',
      clearAll: 'Clear all',
    },
    card: {
      waiting: 'Waiting…',
      uploading: 'Uploading… {percent}',
      done: 'Done',
      failed: 'Failed',
      remove: 'Remove',
      removeFile: 'Remove {name}',
      retry: 'Retry',
      dismiss: 'Dismiss',
      image: 'image',
    },
    queue: {
      failed: '{name} failed: {error}',
    },
    headline: {
      to: 'to',
    },
    download: {
      file: 'Download {name}',
    },
    compare: {
      zoomGroup: 'Zoom {name}',
      zoomedHint: '{zoom}× · drag or use arrow keys to pan',
      wheelHint: 'Ctrl + scroll to zoom',
      zoomedView: '{name}, zoomed {zoom}×: arrow keys pan',
      original: 'Original',
      result: 'Result',
      originalAlt: 'Original {name}',
      compressedAlt: 'Compressed {name}',
      processedAlt: 'Processed {name}',
      compressedSlider: 'Compare original and compressed {name}',
      processedSlider: 'Compare original and processed {name}',
      valueText: '{original}% original, {result}% result',
    },
  },
  {
    dropZone: {
      title: '拖放图片到页面任意位置',
      hint: '支持 JPEG、PNG、WebP、AVIF、GIF、TIFF 和 HEIF，每个文件单独压缩。',
      overlay: '松开即可压缩',
      choose: '选择图片',
    },
    options: {
      applyNext: '对之后添加的文件生效。',
      reset: '恢复默认',
      modelOptions: '模型选项',
    },
    results: {
      title: '处理结果',
      clearAll: '全部清除',
    },
    card: {
      waiting: '等待中…',
      uploading: '上传中… {percent}',
      done: '完成',
      failed: '失败',
      remove: '移除',
      removeFile: '移除 {name}',
      retry: '重试',
      dismiss: '关闭',
      image: '图片',
    },
    queue: {
      failed: '{name} 处理失败：{error}',
    },
    headline: {
      to: '变为',
    },
    download: {
      file: '下载 {name}',
    },
    compare: {
      zoomGroup: '缩放 {name}',
      zoomedHint: '{zoom}× · 拖动或用方向键平移',
      wheelHint: '按住 Ctrl 滚动滚轮缩放',
      zoomedView: '{name}，已放大 {zoom}×：用方向键平移',
      original: '原图',
      result: '结果',
      originalAlt: '原图 {name}',
      compressedAlt: '压缩后的 {name}',
      processedAlt: '处理后的 {name}',
      compressedSlider: '对比 {name} 的原图和压缩结果',
      processedSlider: '对比 {name} 的原图和处理结果',
      valueText: '原图 {original}%，结果 {result}%',
    },
  },
);
