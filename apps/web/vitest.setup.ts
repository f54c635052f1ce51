import { config } from '@vue/test-utils';
import { createAppI18n } from './src/shared/i18n';

// Every mounted component finds the app's translations, in English unless a test switches.
config.global.plugins = [createAppI18n('en')];
