import type { InferenceResponse, ModelSummary, ModelTask } from '@dlserve/shared';
import type { Component, ComputedRef, Ref } from 'vue';
import type { ModelRequestOptions } from '../shared/api/models';

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

/** The words a model tool uses for its task. */
export interface TaskTexts {
  /** The model's badge (`Text recognition`). */
  label: string;
  /** What the tool does to a file: `Drop images to <verb> with <model>`. */
  verb: string;
  /** Under the drop zone's title. */
  hint: string;
  /** Ends `Results appear here…` while there are none. */
  empty: string;
  /** What a running job's steps count: `50% · <step> 4 of 8`. */
  step: string;
}

/** A line of a model's info card (`Scale`: `×2 per side`). */
export interface ModelFact {
  term: string;
  detail: string;
}

/** How the page shows one task: everything the model tool, its cards and the picker need. */
export interface TaskView<T extends ModelTask> {
  task: T;
  texts: TaskTexts;
  /** A small line icon for the tool picker. */
  icon: Component;
  result: Component<TaskResultProps<T>>;
  /** Options sent with each file, if the task has any (see `defineTaskOptions`). */
  options?: TaskOptions;
  /** The screen reader's announcement of a finished file. */
  describe: (fileName: string, file: TaskResultFile<T>) => string;
  /** The model's badge when it says more than the task's label (`Upscale ×2`); else `undefined`. */
  badge?: (model: ModelSummary) => string | undefined;
  /** Task-specific lines of the model's info card. */
  facts?: (model: ModelSummary) => ModelFact[];
  /** Its result cards need a whole row (OCR: picture and text side by side). */
  wideResults?: boolean;
}
