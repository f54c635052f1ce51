import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebHashHistory, type Router, type RouterHistory } from 'vue-router';
import { createAppRouter } from './router';
import { toolLocation, toolOf, type ToolRoute } from './tool-route';

const COMPRESS: ToolRoute = { tool: 'compress' };

let history: RouterHistory | undefined;

/** A router on the page's real hash URL, started the way `app.use(router)` starts it. */
async function openAt(hash: string): Promise<Router> {
  window.history.replaceState(null, '', `/${hash}`);
  history = createWebHashHistory();
  const router = createAppRouter(history);
  await router.push(history.location);
  return router;
}

const tool = (router: Router) => toolOf(router.currentRoute.value);

describe('the app router (hash URLs)', () => {
  afterEach(() => {
    history?.destroy();
    history = undefined;
    window.history.replaceState(null, '', '/');
    vi.restoreAllMocks();
  });

  it.each<[string, ToolRoute, string]>([
    ['', COMPRESS, '#/compress'],
    ['#/', COMPRESS, '#/compress'],
    ['#/compress', COMPRESS, '#/compress'],
    ['#/models/esrgan-slim-x2', { tool: 'model', name: 'esrgan-slim-x2' }, '#/models/esrgan-slim-x2'],
    ['#/models/a%20b/', { tool: 'model', name: 'a b' }, '#/models/a%20b/'],
    ['#/models/', COMPRESS, '#/compress'],
    ['#/models/a/b', COMPRESS, '#/compress'],
    ['#/elsewhere', COMPRESS, '#/compress'],
  ])('opens %j as %j, at %j', async (hash, expected, url) => {
    const router = await openAt(hash);
    expect(tool(router)).toEqual(expected);
    expect(window.location.hash).toBe(url);
  });

  it('sends a name that is not valid percent-encoding to compression', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const router = await openAt('#/models/%E0%A4%A');
    expect(tool(router)).toEqual(COMPRESS);
    expect(window.location.hash).toBe('#/compress');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Error decoding'));
  });

  it('builds the URL of each tool', async () => {
    const router = await openAt('');
    expect(router.resolve(toolLocation({ tool: 'model', name: 'a b' })).href).toBe('#/models/a%20b');
    expect(router.resolve(toolLocation({ tool: 'model', name: 'x/y' })).href).toBe('#/models/x%2Fy');
    expect(router.resolve(toolLocation(COMPRESS)).href).toBe('#/compress');
    expect(toolOf(router.resolve(toolLocation({ tool: 'model', name: 'x/y' })))).toEqual({ tool: 'model', name: 'x/y' });
  });

  it('writes each tool switch to the URL and follows a hash the browser changed', async () => {
    const router = await openAt('#/models/mobilenet');
    expect(tool(router)).toEqual({ tool: 'model', name: 'mobilenet' });

    await router.push(toolLocation(COMPRESS));
    expect(window.location.hash).toBe('#/compress');
    expect(tool(router)).toEqual(COMPRESS);

    // A link followed or a URL typed into the address bar: the browser sets the hash, fires popstate.
    window.location.hash = '#/models/esrgan';
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
    await vi.waitFor(() => expect(tool(router)).toEqual({ tool: 'model', name: 'esrgan' }));
  });
});
