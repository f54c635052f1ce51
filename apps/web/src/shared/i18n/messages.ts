import { appMessages } from '../../app/app.messages';
import { classificationMessages } from '../../features/classification/classification.messages';
import { compressMessages } from '../../features/compress/compress.messages';
import { modelsMessages } from '../../features/models/models.messages';
import { ocrMessages } from '../../features/ocr/ocr.messages';
import { statusMessages } from '../../features/status/status.messages';
import { superResolutionMessages } from '../../features/super-resolution/super-resolution.messages';
import { errorsMessages } from '../api/errors.messages';
import { a11yMessages } from '../ui/a11y.messages';
import { uiMessages } from '../ui/ui.messages';
import { formatMessages } from '../utils/format.messages';

/**
 * Every string of the UI, one module per feature (`<feature>.messages.ts`, with `en` and `zh`
 * side by side), gathered under the feature's namespace: `t('app.tagline')`.
 */
const modules = {
  app: appMessages,
  ui: uiMessages,
  format: formatMessages,
  errors: errorsMessages,
  compress: compressMessages,
  models: modelsMessages,
  ocr: ocrMessages,
  classification: classificationMessages,
  superResolution: superResolutionMessages,
  a11y: a11yMessages,
  status: statusMessages,
};

type Modules = typeof modules;

function inLanguage<L extends 'en' | 'zh'>(language: L): { [K in keyof Modules]: Modules[K][L] } {
  return Object.fromEntries(Object.entries(modules).map(([name, module]) => [name, module[language]])) as {
    [K in keyof Modules]: Modules[K][L];
  };
}

export const messages = { en: inLanguage('en'), zh: inLanguage('zh') };

/** The English messages are the schema: a Chinese module missing a key fails the type check. */
export type MessageSchema = (typeof messages)['en'];
