import { describe, expect, it } from 'vitest';
import { routeKey, toolLocation, toolOf, toolTabId } from './tool-route';

describe('tool routes', () => {
  it('reads the tool from a resolved route', () => {
    expect(toolOf({ name: 'model', params: { name: 'ocr' } })).toEqual({ tool: 'model', name: 'ocr' });
    expect(toolOf({ name: 'compress', params: {} })).toEqual({ tool: 'compress' });
    expect(toolOf({ name: undefined, params: {} })).toEqual({ tool: 'compress' });
  });

  it('names the location, key and tab of a tool', () => {
    expect(toolLocation({ tool: 'model', name: 'ocr' })).toEqual({ name: 'model', params: { name: 'ocr' } });
    expect(toolLocation({ tool: 'compress' })).toEqual({ name: 'compress' });
    expect(routeKey({ tool: 'model', name: 'ocr' })).toBe('model:ocr');
    expect(routeKey({ tool: 'compress' })).toBe('compress');
    expect(toolTabId({ tool: 'model', name: 'x.y' })).toBe('tool-tab-model_x_y');
  });
});
