import type { InferenceResponse, ModelSummary, ModelTask } from '@dlserve/shared';
import type { Component, ComputedRef, Ref } from 'vue';
import type { ModelRequestOptions } from '../shared/api/models';
import type { Translate } from '../shared/i18n';
import type { Formatters } from '../shared/utils/use-format';

/**
 * What a task's texts are made with: the UI's translator and formatters (a component's, or the
 * app's outside one), so a task's words come from its messages module in the current language.
 */
export interface TaskI18n {
  t: Translate;
  format: Formatters;
}

/** The one result file of a task's answer: `OcrFile` for `ocr`, and so on. */
export type TaskResultFile<T extends ModelTask> = Extract<InferenceResponse, { task: T }>['files'][number];

/** A finished file, tagged with its task so the file's type follows. */
export type TaskResult<T extends ModelTask = ModelTask> = { [K in T]: { task: K; file: TaskResultFile<K> } }[T];

/** What a task's result component is given. */
export interface TaskResultProps<T extends ModelTask> {
  file: TaskResultFile<T>;
  /** Object URL of the image that was sent. */
  before: string;
  /** The client's file name. */
  name: string;
}

/** A task's options as the task defines them: the state for one model tool, and the form that edits it. */
export interface TaskOptionsDefinition<TForm> {
  /** Called once in the tool's setup: the form's state and the request fields it makes. */
  use: (model: ModelSummary) => { form: Ref<TForm>; options: ComputedRef<ModelRequestOptions> };
  /** Edits the state with `v-model`. */
  form: Component<{ modelValue: TForm }>;
}

/** A task's options as the model tool sees them: it only hands the state to the form. */
export interface TaskOptions {
  use: (model: ModelSummary) => { form: Ref<unknown>; options: ComputedRef<ModelRequestOptions> };
  form: Component;
}

/** Checks that the form edits the state `use` makes, then forgets the state's type. */
export function defineTaskOptions<TForm>(options: TaskOptionsDefinition<TForm>): TaskOptions {
  return options;
}

/** The words a model tool uses for its task, in the current language. */
export interface TaskTexts {
  /** The model's badge (`Text recognition`). */
  label: string;
  /** The drop zone's title: `Drop images to read with <model>`. */
  dropTitle: (model: string) => string;
  /** Shown over the page while files are dragged over it (`Drop to read`). */
  overlay: string;
  /** Under the drop zone's title. */
  hint: string;
  /** What will appear while there are no results (`Results appear here, each with…`). */
  empty: string;
  /** A running job's steps, as the task counts them: `line 4 of 8`. */
  steps: (done: number, total: number) => string;
}

/** A line of a model's info card (`Scale`: `×2 per side`). */
export interface ModelFact {
  term: string;
  detail: string;
}

/** How the page shows one task: everything the model tool, its cards and the picker need. */
export interface TaskView<T extends ModelTask> {
  task: T;
  texts: (i18n: TaskI18n) => TaskTexts;
  /** A small line icon for the tool picker. */
  icon: Component;
  result: Component<TaskResultProps<T>>;
  /** Options sent with each file, if the task has any (see `defineTaskOptions`). */
  options?: TaskOptions;
  /** The screen reader's announcement of a finished file. */
  describe: (i18n: TaskI18n, fileName: string, file: TaskResultFile<T>) => string;
  /** The model's badge when it says more than the task's label (`Upscale ×2`); else `undefined`. */
  badge?: (i18n: TaskI18n, model: ModelSummary) => string | undefined;
  /** Task-specific lines of the model's info card. */
  facts?: (i18n: TaskI18n, model: ModelSummary) => ModelFact[];
  /** Its result cards need a whole row (OCR: picture and text side by side). */
  wideResults?: boolean;
}
