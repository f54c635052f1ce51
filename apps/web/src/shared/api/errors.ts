import { appI18n, type Locale, type Translate } from '../i18n';
import { HTTP_ERROR_CODES, type HttpErrorCode } from './errors.messages';
import type { HttpError } from './http';

function isKnownCode(code: string): code is HttpErrorCode {
  return (HTTP_ERROR_CODES as string[]).includes(code);
}

/**
 * An error as the user reads it. In English, the message as written (the API's names the file,
 * the limit, the size); in another language, the sentence for its code, or for the HTTP status of
 * an answer without an error body; a code this page does not know keeps the server's English.
 */
export function errorMessage(error: HttpError, t: Translate, locale: Locale): string {
  if (locale === 'en') return error.message;
  if (error.code === 'http' && error.status !== null && error.body === null) {
    const status = error.status;
    if (status === 413) return t('errors.status.tooLarge');
    if (status === 429) return t('errors.status.busy');
    if (status === 502 || status === 503 || status === 504) return t('errors.status.unavailable', { status });
    return t('errors.status.other', { status });
  }
  return isKnownCode(error.code) ? t(`errors.codes.${error.code}`) : error.message;
}

/** `errorMessage` in the app's current language, for code outside a component. */
export function appErrorMessage(error: HttpError): string {
  const { t, locale } = appI18n();
  return errorMessage(error, t, locale());
}
