import { describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { createAppRouter } from '../../app/router';

describe('the status route', () => {
  it('#/status opens the status page', async () => {
    const router = createAppRouter(createMemoryHistory());
    await router.push('/status');
    expect(router.currentRoute.value.name).toBe('status');
  });
});
