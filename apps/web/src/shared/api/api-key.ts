import { ref } from 'vue';

const STORAGE_KEY = 'dlserve.apiKey';

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: the key lasts for this page only
  }
}

/**
 * The API key this browser sends (`X-API-Key`) to a server started with `API_KEYS`, remembered
 * in localStorage; null when none was given. `keyRefused` turns true when the server answered
 * 401 `unauthorized`, so the app can ask for one.
 */
export const apiKey = ref<string | null>(stored());
export const keyRefused = ref(false);

export function rememberApiKey(key: string | null): void {
  const value = key?.trim() || null;
  apiKey.value = value;
  keyRefused.value = false;
  try {
    if (value === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // storage blocked: kept in memory only
  }
}

/** Headers for a request made without the shared axios client (fetch). */
export function apiKeyHeaders(): Record<string, string> {
  return apiKey.value ? { 'X-API-Key': apiKey.value } : {};
}
