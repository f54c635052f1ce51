import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../platform/errors/app-error.js';
import { AdmissionLimit } from './admission-limit.js';

describe('AdmissionLimit', () => {
  it('refuses with 503 busy and a Retry-After past its limit, and takes again once a request is released (once)', () => {
    const limit = new AdmissionLimit(2, "The model 'x'", 7);
    const first = limit.take();
    limit.take();
    assert.throws(
      () => limit.take(),
      (error: unknown) => error instanceof AppError && error.code === 'busy' && error.statusCode === 503 && error.retryAfterSeconds === 7 && /The model 'x' has 2 requests in hand/.test(error.message),
    );
    first();
    first();
    assert.equal(limit.requestsInHand, 1, 'a second release changes nothing');
    limit.take();
    assert.throws(() => limit.take(), AppError);
  });
});
