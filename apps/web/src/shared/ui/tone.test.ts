import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_STATUS_TONE, TASK_STATUS_TONE, toneClass, type Tone } from './tone';

const stylesheet = readFileSync(resolve(__dirname, '../../app/styles.css'), 'utf8');

describe('tones', () => {
  it('every tone a status can take has its class in the global stylesheet', () => {
    const used = new Set<Tone>([...Object.values(MODEL_STATUS_TONE), ...Object.values(TASK_STATUS_TONE), 'neutral']);
    for (const tone of used) expect(stylesheet, toneClass(tone)).toMatch(new RegExp(`\\.${toneClass(tone)}\\s*\\{[^}]*color:[^}]*background:`));
  });

  it('says a failure in the danger tone and a finished piece of work in the success tone', () => {
    expect(MODEL_STATUS_TONE.failed).toBe('danger');
    expect(TASK_STATUS_TONE.error).toBe('danger');
    expect(MODEL_STATUS_TONE.ready).toBe('success');
    expect(TASK_STATUS_TONE.done).toBe('success');
  });
});
