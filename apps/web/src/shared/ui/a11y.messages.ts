import { defineMessages } from '../i18n/define-messages';

/** What the page's live regions say while files are under way (done and failed files say their own). */
export const a11yMessages = defineMessages(
  {
    started: '{name}: started',
    startedMany: '{count} files started',
    uploaded: '{name}: {percent}% uploaded',
    processed: '{name}: {percent}% processed',
  },
  {
    started: '{name}：已开始',
    startedMany: '已开始处理 {count} 个文件',
    uploaded: '{name}：已上传 {percent}%',
    processed: '{name}：已处理 {percent}%',
  },
);
