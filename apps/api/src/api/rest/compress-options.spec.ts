import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../platform/errors/app-error.js';
import { parseCompressOptions } from './compress-options.js';

function invalid(query: unknown, body: unknown, message: RegExp): void {
  assert.throws(
    () => parseCompressOptions(query, body),
    (error: unknown) => error instanceof AppError && error.statusCode === 400 && message.test(error.message),
  );
}

describe('parseCompressOptions', () => {
  it('defaults to auto format at SSIM 0.985 with no size limit', () => {
    assert.deepEqual(parseCompressOptions({}, {}), { format: 'auto', target: 0.985 });
  });

  it('reads text fields and query parameters, fields winning', () => {
    assert.deepEqual(
      parseCompressOptions({ format: 'webp', maxWidth: '800' }, { format: 'avif', target: '0.99', maxHeight: '600' }),
      { format: 'avif', target: 0.99, maxWidth: 800, maxHeight: 600 },
    );
  });

  it('treats empty form values as unset', () => {
    assert.deepEqual(parseCompressOptions({}, { maxWidth: '', target: '' }), { format: 'auto', target: 0.985 });
  });

  it('refuses bad values with the option named', () => {
    invalid({}, { format: 'bmp' }, /'format'/);
    invalid({}, { target: '2' }, /'target'/);
    invalid({}, { target: 'high' }, /'target'/);
    invalid({}, { maxWidth: '-5' }, /'maxWidth'/);
    invalid({}, { maxHeight: '1.5' }, /'maxHeight'/);
  });

  it('refuses unknown options so a typo is not silently ignored', () => {
    invalid({ quality: '80' }, {}, /Unknown option 'quality'/);
  });
});
