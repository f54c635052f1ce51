import { defineMessages } from '../i18n/define-messages';

/** The words around the figures `format.ts` formats. */
export const formatMessages = defineMessages(
  {
    smaller: '{percent} smaller',
    larger: '{percent} larger',
    under1: '<1% smaller',
    same: 'same size',
    quality: '{format} · quality {quality}',
  },
  {
    smaller: '小了 {percent}',
    larger: '大了 {percent}',
    under1: '小了不到 1%',
    same: '大小不变',
    quality: '{format} · 质量 {quality}',
  },
);
