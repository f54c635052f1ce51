import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestException, InternalServerErrorException, NotFoundException, PayloadTooLargeException, ServiceUnavailableException } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { toAppError } from './api-exception.filter.js';

describe('toAppError', () => {
  it('keeps an AppError as it is, with its status and file', () => {
    const error = new AppError('not_an_image', 'nope', 'cat.jpg');
    assert.equal(toAppError(error), error);
    assert.deepEqual(error.toBody(), { statusCode: 415, error: 'not_an_image', message: 'nope', file: 'cat.jpg' });
  });

  it('maps the framework errors to codes with their status', () => {
    assert.deepEqual(toAppError(new NotFoundException('Cannot GET /x')).toBody(), {
      statusCode: 404,
      error: 'not_found',
      message: 'Cannot GET /x',
    });
    assert.equal(toAppError(new PayloadTooLargeException()).statusCode, 413);
    assert.equal(toAppError(new BadRequestException('bad')).code, 'bad_request');
    // A library's 503 (terminus's failed check) stays a 503, not an internal error.
    assert.deepEqual(toAppError(new ServiceUnavailableException('down')).toBody(), { statusCode: 503, error: 'unavailable', message: 'down' });
    assert.equal(toAppError(new InternalServerErrorException('boom')).code, 'internal_error');
  });

  it('hides the details of unexpected errors behind a 500', () => {
    const body = toAppError(new Error('ENOENT: /secret/path')).toBody();
    assert.equal(body.statusCode, 500);
    assert.equal(body.error, 'internal_error');
    assert.doesNotMatch(body.message, /secret/);
  });

  it('names the file once an error is tied to one', () => {
    const error = new AppError('corrupt_image', 'truncated').forFile('a.jpg');
    assert.equal(error.toBody().file, 'a.jpg');
    assert.equal(error.statusCode, 422);
  });
});
