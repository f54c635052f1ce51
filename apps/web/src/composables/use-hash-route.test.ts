import { afterEach, describe, expect, it } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { parseHash, routeHash, toolTabId, useHashRoute } from './use-hash-route';

describe('hash routes', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('parses and builds hashes', () => {
    expect(parseHash('')).toEqual({ tool: 'compress' });
    expect(parseHash('#/compress')).toEqual({ tool: 'compress' });
    expect(parseHash('#/models/esrgan-slim-x2')).toEqual({ tool: 'model', name: 'esrgan-slim-x2' });
    expect(parseHash('#/models/a%20b/')).toEqual({ tool: 'model', name: 'a b' });
    expect(parseHash('#/models/')).toEqual({ tool: 'compress' });
    expect(parseHash('#/models/%E0%A4%A')).toEqual({ tool: 'compress' });
    expect(routeHash({ tool: 'model', name: 'a b' })).toBe('#/models/a%20b');
    expect(routeHash({ tool: 'compress' })).toBe('#/compress');
    expect(toolTabId({ tool: 'model', name: 'x.y' })).toBe('tool-tab-model_x_y');
  });

  it('reads the hash, follows hashchange and writes navigations to the URL', async () => {
    window.location.hash = '#/models/mobilenet';
    const scope = effectScope();
    const router = scope.run(() => useHashRoute())!;
    expect(router.route.value).toEqual({ tool: 'model', name: 'mobilenet' });

    router.navigate({ tool: 'compress' });
    expect(window.location.hash).toBe('#/compress');
    expect(router.route.value).toEqual({ tool: 'compress' });

    window.location.hash = '#/models/esrgan';
    window.dispatchEvent(new Event('hashchange'));
    await nextTick();
    expect(router.route.value).toEqual({ tool: 'model', name: 'esrgan' });
    scope.stop();
  });
});
