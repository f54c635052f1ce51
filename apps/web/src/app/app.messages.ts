import { defineMessages } from '../shared/i18n/define-messages';

export const appMessages = defineMessages(
  {
    home: 'dlserve home',
    tagline: 'Deep-learning models behind a web page: compress and upscale images, read their text.',
    footer: 'dlserve — a deep-learning service behind a web page.',
    apiDocs: 'API docs',
    apiHealth: 'API health',
    language: 'Language',
    compressTitle: 'Compress images',
    model: 'Model',
  },
  {
    home: 'dlserve 首页',
    tagline: '把深度学习模型放到网页上：压缩、放大图片，识别图中文字。',
    footer: 'dlserve：放在网页背后的深度学习服务。',
    apiDocs: 'API 文档',
    apiHealth: 'API 健康状态',
    language: '语言',
    compressTitle: '压缩图片',
    model: '模型',
  },
);
