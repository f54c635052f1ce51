import { appMessages } from '../../app/app.messages';
import { a11yMessages } from '../ui/a11y.messages';

/**
 * Every string of the UI, one module per feature (`<feature>.messages.ts`, with `en` and `zh`
 * side by side), gathered under the feature's namespace: `t('app.tagline')`.
 */
export const messages = {
  en: { app: appMessages.en, a11y: a11yMessages.en },
  zh: { app: appMessages.zh, a11y: a11yMessages.zh },
};

/** The English messages are the schema: a Chinese module missing a key fails the type check. */
export type MessageSchema = (typeof messages)['en'];
