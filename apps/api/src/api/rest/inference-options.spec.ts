import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInferenceOptions } from './inference-options.js';

describe('parseInferenceOptions', () => {
  it('defaults to a synchronous answer with PNG results', () => {
    assert.deepEqual(parseInferenceOptions({}, {}, undefined), { async: false, format: 'png', ocr: {} });
  });

  it('asks for a job by async=1, async=true or Prefer: respond-async', () => {
    assert.equal(parseInferenceOptions({ async: '1' }, {}, undefined).async, true);
    assert.equal(parseInferenceOptions({}, { async: 'true' }, undefined).async, true);
    assert.equal(parseInferenceOptions({}, {}, 'respond-async, wait=10').async, true);
    assert.equal(parseInferenceOptions({ async: '0' }, {}, undefined).async, false);
  });

  it('reads topK and format, and refuses what it does not know', () => {
    assert.deepEqual(parseInferenceOptions({ topK: '3' }, { format: 'webp' }, undefined), { async: false, format: 'webp', topK: 3, ocr: {} });
    assert.throws(() => parseInferenceOptions({ topK: '0' }, {}, undefined), /'topK'/);
    assert.throws(() => parseInferenceOptions({}, { format: 'bmp' }, undefined), /'format'/);
    assert.throws(() => parseInferenceOptions({ sync: '1' }, {}, undefined), /Unknown option 'sync'/);
  });

  it('reads the OCR options as numbers and booleans', () => {
    const { ocr } = parseInferenceOptions({ maxSide: '1280', useDirection: 'false' }, { boxThreshold: '0.5' }, undefined);
    assert.deepEqual(ocr, { maxSide: 1280, useDirection: false, boxThreshold: 0.5 });
    assert.throws(() => parseInferenceOptions({ detectionThreshold: '2' }, {}, undefined), /'detectionThreshold'/);
  });
});
