import { encodeModel, GraphBuilder } from '@dlserve/model-converter/onnx';
import type { ModelManifest } from '@dlserve/shared';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const IDENTITY = { scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };

export async function writeModel(modelsDir: string, manifest: ModelManifest, onnx: Uint8Array, extra: Record<string, string> = {}): Promise<void> {
  const dir = join(modelsDir, manifest.name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.onnx'), onnx);
  await writeFile(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  for (const [file, content] of Object.entries(extra)) await writeFile(join(dir, file), content);
}

/**
 * `swap-x2`: a 1×1 convolution that swaps red and blue, then nearest ×2. Exactly predictable, so
 * a test can check every pixel the service returns. `fixedTile` adds a Reshape that only accepts
 * 16×16 tiles: a valid model that fails on smaller images.
 */
export function swapUpscaleOnnx(options: { fixedTile?: boolean } = {}): Uint8Array {
  const graph = new GraphBuilder();
  const weights = graph.constant('swap', [3, 3, 1, 1], Float32Array.from([0, 0, 1, 0, 1, 0, 1, 0, 0]));
  let x = graph.node('Conv', ['input', weights], 'swapped', { kernel_shape: [1, 1] });
  if (options.fixedTile) {
    const shape = graph.constant('shape', [4], Float32Array.from([1, 3, 16, 16]));
    const intShape = graph.node('Cast', [shape], 'shape_i64', { to: 7 });
    x = graph.node('Reshape', [x, intShape], 'fixed');
  }
  const scales = graph.constant('scales', [4], Float32Array.from([1, 1, 2, 2]));
  graph.node('Resize', [x, '', scales], 'output', { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  return encodeModel(
    graph.build({
      name: 'swap-x2',
      input: { name: 'input', dims: [1, 3, 'height', 'width'] },
      output: { name: 'output', dims: [1, 3, 'height2', 'width2'] },
      docString: 'test model',
      metadata: {},
    }),
  );
}

/** `colour`: the mean of each channel, as logits: a red image is "red". */
export function colourClassifierOnnx(): Uint8Array {
  const graph = new GraphBuilder();
  const pooled = graph.node('GlobalAveragePool', ['input'], 'pooled');
  const flat = graph.node('Flatten', [pooled], 'flat', { axis: 1 });
  // Scores far apart, so the softmax is sharp.
  const weights = graph.constant('weights', [3, 3], Float32Array.from([10, 0, 0, 0, 10, 0, 0, 0, 10]));
  graph.node('MatMul', [flat, weights], 'output');
  return encodeModel(
    graph.build({
      name: 'colour',
      input: { name: 'input', dims: [1, 3, 8, 8] },
      output: { name: 'output', dims: [1, 3] },
      docString: 'test model',
      metadata: {},
    }),
  );
}

export function swapManifest(name: string, tile = 16, overlap = 2): ModelManifest {
  return {
    name,
    title: { en: 'Swap ×2', zh: '红蓝互换 ×2' },
    description: { en: 'Swaps red and blue, doubles the size.' },
    task: 'image-to-image',
    weights: 'model.onnx',
    input: { name: 'input', layout: 'NCHW', channels: 'RGB', ...IDENTITY },
    output: { name: 'output', layout: 'NCHW', channels: 'RGB', ...IDENTITY },
    imageToImage: { scale: 2, tile, overlap },
    licence: { name: 'CC0' },
    source: { url: 'https://example.org/swap' },
    examples: ['example.png'],
  };
}

/** A repository with two working test models and three broken folders. */
export async function writeTestRepository(modelsDir: string, examplePng: Buffer): Promise<void> {
  await writeModel(modelsDir, swapManifest('swap-x2'), swapUpscaleOnnx(), {});
  await writeFile(join(modelsDir, 'swap-x2', 'example.png'), examplePng);
  await writeModel(modelsDir, swapManifest('fixed-tile', 16, 0), swapUpscaleOnnx({ fixedTile: true }));
  await writeModel(
    modelsDir,
    {
      name: 'colour',
      title: { en: 'Colour' },
      description: { en: 'Which of red, green and blue dominates.' },
      task: 'image-classification',
      weights: 'model.onnx',
      input: { name: 'input', layout: 'NCHW', channels: 'RGB', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
      output: { name: 'output', layout: 'NCHW', channels: 'RGB', ...IDENTITY },
      classification: { labels: 'labels.txt', topK: 2, size: 8 },
      licence: { name: 'CC0' },
      source: { url: 'https://example.org/colour' },
    },
    colourClassifierOnnx(),
    { 'labels.txt': 'red\ngreen\nblue\n' },
  );
  // Broken in three ways: bad JSON, a manifest naming a tensor the graph lacks, missing weights.
  await mkdir(join(modelsDir, 'bad-json'));
  await writeFile(join(modelsDir, 'bad-json', 'model.json'), '{ "name": ');
  await writeModel(modelsDir, { ...swapManifest('wrong-input'), input: { ...swapManifest('x').input, name: 'pixels' } }, swapUpscaleOnnx());
  await mkdir(join(modelsDir, 'no-weights'));
  await writeFile(join(modelsDir, 'no-weights', 'model.json'), JSON.stringify(swapManifest('no-weights')));
}
