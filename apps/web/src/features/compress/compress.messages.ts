import { defineMessages } from '../../shared/i18n/define-messages';

/** The compression tool: its options, result cards, summary and announcements. */
export const compressMessages = defineMessages(
  {
    options: {
      title: 'Options',
      format: 'Format',
      formatAuto: 'Auto (best per image)',
      formatPng: 'PNG (lossless)',
      target: 'Quality target (SSIM)',
      smallerFiles: 'Smaller files',
      default: 'default {value}',
      closer: 'Closer to original',
      maxWidth: 'Max width',
      maxHeight: 'Max height',
      original: 'Original',
    },
    card: {
      compressing: 'Compressing…',
      compressingFile: 'Compressing {name}',
      uploadingFile: 'Uploading {name}',
      ssim: 'SSIM',
      format: 'Format',
      dimensions: 'Dimensions',
      time: 'Time',
      keptOriginal:
        'No smaller encoding met the quality target, so this is the original (oriented, metadata removed).',
    },
    summary: {
      files: 'no files | {n} file: | {n} files:',
      saved: '({size} saved)',
      inProgress: '{n} in progress',
      failed: '{n} failed',
    },
    empty: 'Your results appear here, each with a before/after comparison and a download link.',
    done: '{name} compressed: {from} to {to}, {saving}.',
  },
  {
    options: {
      title: '选项',
      format: '格式',
      formatAuto: '自动（每张图选最优）',
      formatPng: 'PNG（无损）',
      target: '质量目标（SSIM）',
      smallerFiles: '文件更小',
      default: '默认 {value}',
      closer: '更接近原图',
      maxWidth: '最大宽度',
      maxHeight: '最大高度',
      original: '原始尺寸',
    },
    card: {
      compressing: '压缩中…',
      compressingFile: '正在压缩 {name}',
      uploadingFile: '正在上传 {name}',
      ssim: 'SSIM',
      format: '格式',
      dimensions: '尺寸',
      time: '耗时',
      keptOriginal: '没有哪种更小的编码能达到质量目标，所以这里是原图（已校正方向、去除元数据）。',
    },
    summary: {
      files: '{n} 个文件：',
      saved: '（节省 {size}）',
      inProgress: '{n} 个处理中',
      failed: '{n} 个失败',
    },
    empty: '结果会显示在这里，每张图都附带前后对比和下载链接。',
    done: '{name} 压缩完成：{from} 变为 {to}，{saving}。',
  },
);
