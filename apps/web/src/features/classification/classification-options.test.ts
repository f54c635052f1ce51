import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { TOP_K_MAX, toClassificationOptions, useClassificationOptions } from './classification-options';

describe('classification options', () => {
  it('asks for a whole number of labels up to the maximum, or leaves it to the model', () => {
    expect(toClassificationOptions({ topK: 3 })).toEqual({ topK: 3 });
    expect(toClassificationOptions({ topK: 2.6 })).toEqual({ topK: 3 });
    expect(toClassificationOptions({ topK: 500 })).toEqual({ topK: TOP_K_MAX });
    expect(toClassificationOptions({ topK: 0 })).toEqual({});
    expect(toClassificationOptions({ topK: Number.NaN })).toEqual({});
  });

  it('starts at the model’s own number of labels, else five', () => {
    const scope = effectScope();
    scope.run(() => {
      expect(useClassificationOptions({ topK: 3 }).options.value).toEqual({ topK: 3 });
      expect(useClassificationOptions({}).form.value).toEqual({ topK: 5 });
    });
    scope.stop();
  });
});
