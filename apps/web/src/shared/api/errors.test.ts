import { ERROR_CODES } from '@dlserve/shared';
import { describe, expect, it } from 'vitest';
import { createAppI18n, type Translate } from '../i18n';
import { errorMessage } from './errors';
import { errorsMessages } from './errors.messages';
import { HttpError } from './http';

const t = createAppI18n('zh').global.t as Translate;

function apiError(code: string, message: string, status = 422): HttpError {
  return new HttpError(message, code as HttpError['code'], status, { statusCode: status, error: code as never, message });
}

describe('errorMessage', () => {
  it('has a sentence for every code of the contract, in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(errorsMessages.en.codes[code], code).toMatch(/\S/);
      expect(errorsMessages.zh.codes[code], code).toMatch(/\p{Script=Han}/u);
    }
  });

  it('shows the server’s own English message in English', () => {
    const error = apiError('image_too_large', 'The image is 5000×5000 (25 MP); this model takes at most 4 MP.', 413);
    expect(errorMessage(error, t, 'en')).toBe('The image is 5000×5000 (25 MP); this model takes at most 4 MP.');
  });

  it('translates the code in Chinese', () => {
    expect(errorMessage(apiError('image_too_large', 'The image is 5000×5000.', 413), t, 'zh')).toBe('图片尺寸超出了该模型的上限。');
    expect(errorMessage(apiError('busy', 'Busy.', 503), t, 'zh')).toBe('服务器繁忙，请稍后再试。');
    expect(errorMessage(new HttpError('Could not reach the server.', 'network'), t, 'zh')).toBe('无法连接服务器，请检查网络后重试。');
    expect(errorMessage(new HttpError('No result.', 'no_result'), t, 'zh')).toBe('服务器没有返回这个文件的结果。');
  });

  it('says an answer without an error body by its HTTP status', () => {
    expect(errorMessage(new HttpError('x', 'http', 502), t, 'zh')).toBe('服务器暂时不可用（HTTP 502），请稍后重试。');
    expect(errorMessage(new HttpError('x', 'http', 418), t, 'zh')).toBe('服务器无法处理这个请求（HTTP 418）。');
    expect(errorMessage(new HttpError('x', 'http', 413), t, 'zh')).toBe('文件太大，服务器无法接收。');
  });

  it('falls back to the server’s English message for a code it does not know (a newer server)', () => {
    expect(errorMessage(apiError('quota_exceeded', 'Your quota is used up.', 429), t, 'zh')).toBe('Your quota is used up.');
  });
});
