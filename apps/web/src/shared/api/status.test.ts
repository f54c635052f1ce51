import type { AxiosAdapter } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busyAnswer } from '../../features/status/status-fixtures';
import { http } from './http';
import { getStatus } from './status';

const answer = (data: unknown, status = 200) => vi.fn<AxiosAdapter>(async (config) => ({ status, statusText: '', data, headers: {}, config }));

describe('status API', () => {
  const originalAdapter = http.defaults.adapter;
  afterEach(() => {
    http.defaults.adapter = originalAdapter;
  });

  it('GETs /api/status with the signal it is given', async () => {
    const adapter = answer(busyAnswer);
    http.defaults.adapter = adapter;
    const controller = new AbortController();
    await expect(getStatus(controller.signal)).resolves.toEqual(busyAnswer);
    expect(adapter.mock.calls[0]?.[0].url).toBe('/api/status');
    expect(adapter.mock.calls[0]?.[0].signal).toBe(controller.signal);
  });

  it('rejects an answer that is not a StatusResponse', async () => {
    http.defaults.adapter = answer('<!doctype html>');
    await expect(getStatus()).rejects.toThrow(/unexpected answer/);
  });
});
