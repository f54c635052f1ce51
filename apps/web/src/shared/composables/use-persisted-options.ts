import { computed, ref, watch, type ComputedRef, type Ref } from 'vue';

export interface PersistedOptionsConfig<TForm, TOptions> {
  /** The `localStorage` key. */
  key: string;
  /** A fresh copy of the form's defaults. */
  defaults: () => TForm;
  /** Copies the valid fields of what a previous visit saved onto the defaults; skips the rest. */
  restore: (saved: Record<string, unknown>, value: TForm) => void;
  /** The form as request options. */
  toOptions: (form: TForm) => TOptions;
}

/** Reads what a previous visit saved, ignoring anything malformed. */
function load<TForm>(config: PersistedOptionsConfig<TForm, unknown>): TForm {
  const value = config.defaults();
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(config.key) ?? 'null');
    if (typeof saved === 'object' && saved !== null) {
      config.restore(saved as Record<string, unknown>, value);
    }
  } catch {
    // Storage blocked or corrupt: start from the defaults.
  }
  return value;
}

/** An options form whose value is remembered across visits, and the request options it makes. */
export function usePersistedOptions<TForm, TOptions>(
  config: PersistedOptionsConfig<TForm, TOptions>,
): { form: Ref<TForm>; options: ComputedRef<TOptions>; reset: () => void } {
  const form = ref(load(config)) as Ref<TForm>;
  const options = computed(() => config.toOptions(form.value));

  watch(
    form,
    (value) => {
      try {
        localStorage.setItem(config.key, JSON.stringify(value));
      } catch {
        // Private mode or quota: the options still apply for this visit.
      }
    },
    { deep: true },
  );

  function reset(): void {
    form.value = config.defaults();
  }

  return { form, options, reset };
}
