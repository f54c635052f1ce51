import { ImageModel } from '../image-model.js';
import type { LoadExecutor, RgbImage, TaskExecutor } from '../task.js';
import { classifierInputSize } from './input-size.js';

/** Images already at the model's input size, any number of them in one tensor. */
export const loadExecutor: LoadExecutor = async ({ manifest, weightsPath, runtime }) => {
  const model = await ImageModel.load(manifest, weightsPath, runtime);
  const { width, height } = classifierInputSize(manifest);
  const executor: TaskExecutor<RgbImage, Float32Array> = {
    session: model.session,
    async warmUp() {
      await model.run([{ pixels: new Uint8Array(width * height * 3).fill(128), width, height }]);
    },
    async execute(inputs) {
      // Copies out of the batch's output, so that each answer has a buffer of its own to move.
      const scores = (await model.run(inputs)).map((view) => Float32Array.from(view));
      return { outputs: scores, transfer: scores.map((each) => each.buffer) };
    },
    release: () => model.release(),
  };
  return executor as TaskExecutor;
};
