/**
 * Benchmark of the compression engine on the photos in fixtures/photos (`pnpm bench:compress`).
 *
 * Baseline: sharp's default JPEG (quality 80). Run 1 compresses at the default SSIM target. Run 2
 * sets each image's target to the SSIM that quality 80 reached, so both sides are equally
 * faithful, and checks the goals: total bytes ≤ 0.75 × quality 80's, time ≤ 1 s per megapixel.
 * Each image is compressed REPEATS times and the median time is reported, so one slow run (a busy
 * machine, a GC pause) does not decide the verdict. Not a test: it prints and asserts nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SSIM_TARGET } from '@dlserve/shared';
import sharp from 'sharp';
import { CompressService, type CompressionResult } from '../src/tasks/compression/compressor.js';
import { lumaPlane, ssim, type LumaPlane } from '../src/tasks/compression/ssim.js';
import { ImageCodec, type RawImage } from '../src/infrastructure/imaging/image-codec.js';

const BYTES_GOAL = 0.75;
const MS_PER_MP_GOAL = 1000;
const REPEATS = 3;
const PHOTOS = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/photos');

interface Photo {
  name: string;
  input: Buffer;
  megapixels: number;
  reference: LumaPlane;
  q80Bytes: number;
  q80Ssim: number;
}

interface Run {
  photo: Photo;
  target: number;
  result: CompressionResult;
  /** Recomputed here, independently of the service's own figure. */
  ssim: number;
  /** Median wall-clock time of REPEATS runs. */
  ms: number;
  /**
   * Median CPU time (all threads) of the same runs: when other work shares the machine, the wall
   * time swells but this does not, so it tells a slow engine from a busy machine.
   */
  cpuMs: number;
}

const codec = new ImageCodec();
const service = new CompressService(codec);

const luma = (image: RawImage): LumaPlane => lumaPlane(image.data, image.width, image.height, image.channels);

async function loadPhoto(name: string): Promise<Photo> {
  const input = readFileSync(join(PHOTOS, name));
  const { image } = await codec.decode(input);
  const reference = luma(image);
  const q80 = await sharp(input).autoOrient().jpeg().toBuffer();
  return {
    name,
    input,
    megapixels: (image.width * image.height) / 1e6,
    reference,
    q80Bytes: q80.length,
    q80Ssim: ssim(reference, luma(await codec.decodeEncoded(q80))),
  };
}

async function compress(photo: Photo, target: number): Promise<Run> {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let result: CompressionResult | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    result = await service.compress(photo.input, { format: 'auto', target });
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  if (!result) throw new Error('REPEATS must be at least 1');
  const ms = median(times);
  const cpuMs = median(cpuTimes);
  const score = result.keptOriginal ? 1 : ssim(photo.reference, luma(await codec.decodeEncoded(result.data)));
  return { photo, target, result, ssim: score, ms, cpuMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);

function printRuns(title: string, runs: Run[]): { ratio: number; msPerMp: number; cpuMsPerMp: number } {
  console.log(`\n${title}`);
  console.log(
    `${'image'.padEnd(22)}${pad('MP', 6)}${pad('q80 B', 9)}${pad('q80 SSIM', 9)}${pad('target', 8)}` +
      `${pad('ours B', 9)}${pad('SSIM', 8)}${pad('format', 7)}${pad('q', 5)}${pad('ratio', 7)}${pad('ms', 7)}${pad('ms/MP', 7)}` +
      `${pad('cpu ms', 8)}`,
  );
  let q80Total = 0;
  let oursTotal = 0;
  let msTotal = 0;
  let cpuMsTotal = 0;
  let mpTotal = 0;
  for (const { photo, target, result, ssim: score, ms, cpuMs } of runs) {
    q80Total += photo.q80Bytes;
    oursTotal += result.data.length;
    msTotal += ms;
    cpuMsTotal += cpuMs;
    mpTotal += photo.megapixels;
    const format = result.keptOriginal ? 'kept' : result.format;
    console.log(
      `${photo.name.padEnd(22)}${pad(photo.megapixels.toFixed(2), 6)}${pad(photo.q80Bytes, 9)}${pad(photo.q80Ssim.toFixed(4), 9)}` +
        `${pad(target.toFixed(4), 8)}${pad(result.data.length, 9)}${pad(score.toFixed(4), 8)}${pad(format, 7)}` +
        `${pad(result.quality ?? '-', 5)}${pad((result.data.length / photo.q80Bytes).toFixed(3), 7)}` +
        `${pad(ms.toFixed(0), 7)}${pad((ms / photo.megapixels).toFixed(0), 7)}${pad(cpuMs.toFixed(0), 8)}`,
    );
  }
  const ratio = oursTotal / q80Total;
  const msPerMp = msTotal / mpTotal;
  console.log(
    `${'TOTAL'.padEnd(22)}${pad(mpTotal.toFixed(2), 6)}${pad(q80Total, 9)}${pad('', 9)}${pad('', 8)}` +
      `${pad(oursTotal, 9)}${pad('', 8)}${pad('', 7)}${pad('', 5)}${pad(ratio.toFixed(3), 7)}` +
      `${pad(msTotal.toFixed(0), 7)}${pad(msPerMp.toFixed(0), 7)}${pad(cpuMsTotal.toFixed(0), 8)}`,
  );
  return { ratio, msPerMp, cpuMsPerMp: cpuMsTotal / mpTotal };
}

async function main(): Promise<void> {
  const names = readdirSync(PHOTOS).filter((name) => /\.(png|jpe?g)$/i.test(name)).sort();
  const photos: Photo[] = [];
  for (const name of names) photos.push(await loadPhoto(name));
  await compress(photos[0]!, DEFAULT_SSIM_TARGET); // warm-up: JIT and libvips start-up are not the engine

  const atDefault: Run[] = [];
  for (const photo of photos) atDefault.push(await compress(photo, DEFAULT_SSIM_TARGET));
  printRuns(`Run 1: default target (SSIM ≥ ${DEFAULT_SSIM_TARGET})`, atDefault);

  const atQ80: Run[] = [];
  for (const photo of photos) atQ80.push(await compress(photo, photo.q80Ssim));
  const { ratio, msPerMp, cpuMsPerMp } = printRuns('Run 2: target = the SSIM of sharp JPEG quality 80', atQ80);
  console.log(`(ms, cpu ms: median of ${REPEATS} runs per image)`);

  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  console.log(`\nbytes vs quality 80: ${ratio.toFixed(3)} (goal ≤ ${BYTES_GOAL}) ${verdict(ratio <= BYTES_GOAL)}`);
  console.log(`time: ${msPerMp.toFixed(0)} ms/MP (goal ≤ ${MS_PER_MP_GOAL}) ${verdict(msPerMp <= MS_PER_MP_GOAL)}`);
  const load = os.loadavg()[0]!;
  console.log(`(CPU time ${cpuMsPerMp.toFixed(0)} ms/MP on ${os.availableParallelism()} cores; load average ${load.toFixed(2)})`);
  const short = [...atDefault, ...atQ80].filter((run) => run.ssim < run.target);
  if (short.length > 0) console.log(`below target: ${short.map((run) => run.photo.name).join(', ')}`);
}

await main();
