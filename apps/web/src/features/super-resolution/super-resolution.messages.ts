import { defineMessages } from '../../shared/i18n/define-messages';

/** Image-to-image models (upscalers): the tool's texts, options and result card. */
export const superResolutionMessages = defineMessages(
  {
    label: 'Image → image',
    dropTitle: 'Drop images to process with {model}',
    overlay: 'Drop to process',
    hint: 'Each file is sent on its own; large images are processed in tiles.',
    empty: 'Results appear here, each with a zoomable before/after comparison and a download link.',
    steps: 'tile {done} of {total}',
    done: '{name} done: {from} to {to}.',
    badge: 'Upscale ×{scale}',
    scale: 'Scale',
    perSide: '×{scale} per side',
    outputFormat: 'Output format',
    pngLossless: 'PNG (lossless)',
    size: 'Size',
    format: 'Format',
    time: 'Time',
  },
  {
    label: '图像处理',
    dropTitle: '拖放图片到这里，用 {model} 处理',
    overlay: '松开即可处理',
    hint: '每个文件单独发送；大图会分块处理。',
    empty: '结果会显示在这里，每张图都附带可缩放的前后对比和下载链接。',
    steps: '第 {done}/{total} 块',
    done: '{name} 处理完成：{from} 变为 {to}。',
    badge: '放大 ×{scale}',
    scale: '放大倍数',
    perSide: '每边 ×{scale}',
    outputFormat: '输出格式',
    pngLossless: 'PNG（无损）',
    size: '大小',
    format: '格式',
    time: '耗时',
  },
);
