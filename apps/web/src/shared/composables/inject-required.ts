import { inject, type InjectionKey } from 'vue';

/** `inject`, for state a page cannot work without: a missing provider fails loudly, not later. */
export function injectRequired<T>(key: InjectionKey<T>): T {
  const value = inject(key);
  if (value === undefined) throw new Error(`Nothing provides ${key.description ?? 'this value'}.`);
  return value;
}
