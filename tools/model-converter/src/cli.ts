/**
 * `pnpm --filter @dlserve/model-converter convert [name…]`: regenerates models/esrgan-* from the
 * installed UpscalerJS packages, verifying each against TF.js before anything is written.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MODELS } from './models.js';
import { convertUpscaler } from './pipeline.js';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(`${path}.tmp`, data);
  await rename(`${path}.tmp`, path);
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !MODELS.some((m) => m.name === n));
  if (unknown.length) throw new Error(`unknown model(s): ${unknown.join(', ')}; known: ${MODELS.map((m) => m.name).join(', ')}`);
  const selected = names.length ? MODELS.filter((m) => names.includes(m.name)) : MODELS;

  for (const spec of selected) {
    const started = Date.now();
    const result = await convertUpscaler(spec);
    const dir = join(MODELS_DIR, spec.name);
    await mkdir(dir, { recursive: true });
    await writeAtomically(join(dir, 'model.onnx'), result.onnx);
    await writeAtomically(join(dir, 'model.json'), `${JSON.stringify(result.manifest, null, 2)}\n`);
    await writeAtomically(join(dir, 'LICENSE'), result.pkg.licence);
    const cases = result.verification.cases
      .map((c) => `${c.width}×${c.height}: ${c.maxAbsDiff.toExponential(2)} (output ${c.outputMin.toFixed(1)}…${c.outputMax.toFixed(1)})`)
      .join('; ');
    console.log(
      `${spec.name}: ${(result.onnx.byteLength / 1e6).toFixed(2)} MB, receptive radius ${result.receptiveRadius} px, ` +
        `max |Δ| ${result.verification.maxAbsDiff.toExponential(2)} [${cases}] in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
