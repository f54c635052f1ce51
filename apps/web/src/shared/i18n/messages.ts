import { appMessages } from '../../app/app.messages';
import { statusMessages } from '../../features/status/status.messages';

/**
 * Every string of the UI, one module per feature (`<feature>.messages.ts`, with `en` and `zh`
 * side by side), gathered under the feature's namespace: `t('app.tagline')`.
 */
export const messages = {
  en: { app: appMessages.en, status: statusMessages.en },
  zh: { app: appMessages.zh, status: statusMessages.zh },
};

/** The English messages are the schema: a Chinese module missing a key fails the type check. */
export type MessageSchema = (typeof messages)['en'];
