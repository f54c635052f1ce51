import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { OcrLine, OcrSettings, Point, TensorSpec } from '@dlserve/shared';
import { OnnxModel, type OnnxModelOptions } from '../../infrastructure/onnx/onnx-model.js';
import { pixelsToTensor } from '../tensor.js';
import type { RgbImage } from '../task.js';
import { ctcAlphabet, ctcGreedyDecode, insertWordGaps, lettersForZeros, type DecodedText } from './ctc.js';
import { boxesFromProbabilityMap } from './db-postprocess.js';
import { doubleReads } from './double-reads.js';
import { distance, rotateCorners, warpQuad, type Quad } from './geometry.js';
import { Lexicon, splitRunTogetherWords } from './lexicon.js';
import { cropLeft, resizeBilinear, rotate180, sharpen } from './raster.js';
import { joinBands, readingOrder } from './reading-order.js';

/**
 * Lines the recogniser is less sure of than this are dropped: mostly texture or an icon read as
 * text (a dialog's close button, a page graphic read as "C" at 0.47, which then split a block of
 * the OCR demo's layout). ocr-node's threshold; 0.3 before: on the real set, dropping the lines
 * read at 0.3–0.5 took the login dialog's "X" away (4.5% → 3.0% CER) and moved no other image by
 * more than 0.2 points.
 */
export const MIN_LINE_CONFIDENCE = 0.5;
/** A line is turned upside down only when the direction classifier is at least this sure. */
export const DIRECTION_THRESHOLD = 0.9;
/**
 * Lines read with less confidence than this are unsure: they go to the direction classifier and
 * their words are checked against the lexicon. Upside down, a line
 * still reads as something, but unsurely: on the bench's 161 lines turned over, at most 0.81;
 * upright, at least 0.84 (blurred JPEG) and mostly above 0.98. Checking a few upright lines costs
 * little; missing an upside-down one costs its text.
 */
export const UNSURE_BELOW = 0.95;
/**
 * Lines read with less confidence than this are read again sharpened (by SHARPEN_AMOUNT, see
 * `sharpen`), and the surer reading is kept. On the bench's blurred English, amount 2 recovered a
 * comma that 1 did not (a line read at 0.90) and made no reading worse. Below 0.95 instead of
 * 0.93 would re-read twice as many lines, for one more fixed letter in a rotated line.
 */
const SHARPEN_BELOW = 0.93;
const SHARPEN_AMOUNT = 2;
/** A crop this many times taller than wide is a line written top to bottom: turn it 90°. */
const TALL_RATIO = 1.5;
/**
 * The direction classifier's input: 48 high, at least 192 wide (its training shape 3×48×192).
 * PaddleOCR squeezes every line into 192 px; a long line squeezed 4–5× loses its letter shapes and
 * the classifier then calls upright lines upside down with > 0.9. Lines keep their aspect instead
 * (the graph's width is dynamic and it pools globally), and a line longer than `maxRatio` is
 * classified by its left part, which shows the direction as well: on the bench's 420 lines, upright
 * and turned over, a cap of 40, 16, 12 or 8 made no mistake, and 12 takes a quarter less time than 40.
 */
const DIRECTION_INPUT = { width: 192, height: 48, maxRatio: 12 };
/**
 * Crops per run of the direction classifier and of the recogniser (PaddleOCR's default). One per
 * run pads nothing, and the recogniser's cost grows faster than its input's width (one 48×1081
 * line 196 ms, three of 48×290 7 ms): small screenshots read 2–3× faster that way (the error
 * dialog 410 → 142 ms), but the rendered bench read 2 letters worse (1 → 3 edits), so not yet.
 */
const BATCH_SIZE = 6;
/** The recogniser's training shape is 3×48×320: its warm-up input. */
const TRAINING_RATIO = 320 / 48;
/**
 * Lines go to the recogniser at their own width (the widest of their batch), at least square.
 * PaddleOCR pads every line to its training width of 320 px; on the real set (fixtures/ocr-real)
 * lines at their own width read as well (mean CER 10.1% → 9.6%; 4 images better, 3 worse by
 * 2–3 points) and a menu of short items reads twice as fast, its crops no longer 5× padding.
 */
const MIN_RECOGNITION_RATIO = 1;

/** PaddleOCR's detector input: ImageNet mean/std on 0–1 values, applied to OpenCV's BGR planes. */
const DETECTION_SPEC: TensorSpec = {
  name: 'x',
  layout: 'NCHW',
  channels: 'BGR',
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};
/** The classifier's and recogniser's input: (x / 255 − 0.5) / 0.5, BGR planes. */
const LINE_SPEC: TensorSpec = { name: 'x', layout: 'NCHW', channels: 'BGR', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** A line's reading, and where along its crop the recogniser's steps lie. */
interface Reading extends DecodedText {
  /** Crop pixels per recogniser step: a character's steps times this is where it lies in its crop. */
  pixelsPerStep: number;
}

export type OcrStage = 'detect' | 'direction' | 'recognise';

export interface OcrPaths {
  detection: string;
  recognition: string;
  direction: string;
  dictionary: string;
}

export interface OcrResult {
  /** In reading order (column by column where the page has columns), boxes in the original image's pixels. */
  lines: OcrLine[];
  /** The lines' text: a line of the image (or its part in one column) per line, pieces of one line joined with a space. */
  text: string;
  /** `directionMs` covers the direction check and re-reading the lines it turned; `recogniseMs` the sharpened re-reading too. */
  timings: { detectMs: number; directionMs: number; recogniseMs: number; totalMs: number };
}

interface Crop {
  image: RgbImage;
  /** Clockwise from the text's top-left, in the original image. */
  box: Quad;
}

/** The detector's input size: long side at most `maxSide`, aspect kept, both sides multiples of 32. */
export function detectionSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const ratio = Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
  const limit = Math.max(32, Math.floor(maxSide / 32) * 32);
  const side = (length: number): number => Math.min(limit, Math.max(32, Math.round((length * ratio) / 32) * 32));
  return { width: side(width), height: side(height) };
}

/**
 * PP-OCR in three ONNX models: DB text detection, a 0°/180° direction classifier and a CTC
 * recogniser. Runs inside a model worker, one image at a time.
 */
export class OcrRunner {
  private constructor(
    private readonly detector: OnnxModel,
    private readonly recogniser: OnnxModel,
    private readonly classifier: OnnxModel,
    private readonly alphabet: readonly string[],
    private readonly recognitionHeight: number,
    private readonly lexicon: Lexicon,
  ) {}

  static async load(paths: OcrPaths, runtime: OnnxModelOptions, recognitionHeight = 48): Promise<OcrRunner> {
    const alphabet = ctcAlphabet(await readFile(paths.dictionary, 'utf8'));
    const models: OnnxModel[] = [];
    try {
      for (const path of [paths.detection, paths.recognition, paths.direction]) models.push(await OnnxModel.load(path, runtime));
    } catch (error) {
      await Promise.all(models.map((model) => model.release()));
      throw error;
    }
    const [detector, recogniser, classifier] = models as [OnnxModel, OnnxModel, OnnxModel];
    return new OcrRunner(detector, recogniser, classifier, alphabet, recognitionHeight, await Lexicon.load());
  }

  /** Each model once on a small input; also checks the recogniser's classes against the dictionary. */
  async warmUp(): Promise<void> {
    await run(this.detector, new Float32Array(3 * 64 * 64), [1, 3, 64, 64]);
    const { width, height } = DIRECTION_INPUT;
    await run(this.classifier, new Float32Array(3 * height * width), [1, 3, height, width]);
    const recognitionWidth = Math.round(this.recognitionHeight * TRAINING_RATIO);
    const output = await run(this.recogniser, new Float32Array(3 * this.recognitionHeight * recognitionWidth), [1, 3, this.recognitionHeight, recognitionWidth]);
    const classes = output.dims[2];
    if (classes !== this.alphabet.length) {
      throw new Error(`the recogniser has ${classes} classes, but its dictionary gives ${this.alphabet.length} (blank + ${this.alphabet.length - 2} lines + space)`);
    }
  }

  async read(
    image: RgbImage,
    settings: OcrSettings,
    onStage: (stage: OcrStage, done: number, total: number) => void = () => {},
  ): Promise<OcrResult> {
    const start = performance.now();
    onStage('detect', 0, 1);
    const boxes = await this.detect(image, settings);
    onStage('detect', 1, 1);
    const crops = boxes.map((box) => cropUpright(image, box));
    const detected = performance.now();

    const texts = await this.recognise(crops, (done) => onStage('recognise', done, crops.length));
    const recognised = performance.now();
    if (settings.useDirection) await this.turnUpsideDown(crops, texts, (done, total) => onStage('direction', done, total));
    const directed = performance.now();
    await this.rereadSharpened(crops, texts);
    this.dropDoubleReads(crops, texts);
    const lines: OcrLine[] = [];
    for (const [i, crop] of crops.entries()) {
      const { confidence } = texts[i]!;
      const text = confidence < UNSURE_BELOW ? splitRunTogetherWords(texts[i]!.text, this.lexicon) : texts[i]!.text;
      if (text.trim() === '' || confidence < MIN_LINE_CONFIDENCE) continue;
      lines.push({ text: text.trim(), confidence, box: crop.box.map(roundPoint) as OcrLine['box'] });
    }
    const bands = readingOrder(lines);
    const end = performance.now();
    return {
      lines: bands.flat(),
      text: joinBands(bands),
      timings: { detectMs: detected - start, directionMs: directed - recognised, recogniseMs: recognised - detected + (end - directed), totalMs: end - start },
    };
  }

  /** The text detector: the OCR model's main session (`weights` in its manifest). */
  get detection(): OnnxModel {
    return this.detector;
  }

  async release(): Promise<void> {
    await Promise.all([this.detector.release(), this.recogniser.release(), this.classifier.release()]);
  }

  private async detect(image: RgbImage, settings: OcrSettings): Promise<Quad[]> {
    const { width, height } = detectionSize(image.width, image.height, settings.maxSide);
    const resized = resizeBilinear(image, width, height);
    const tensor = pixelsToTensor(resized.pixels, width, height, DETECTION_SPEC);
    const { data, dims } = await run(this.detector, tensor, [1, 3, height, width]);
    const mapHeight = dims[2] ?? 0;
    const mapWidth = dims[3] ?? 0;
    if (dims.length !== 4 || mapHeight * mapWidth === 0) throw new Error(`unexpected detector output [${dims.join(', ')}]`);
    const map = data.subarray(0, mapWidth * mapHeight);
    return boxesFromProbabilityMap(map, mapWidth, mapHeight, image.width, image.height, settings).map((found) => found.box);
  }

  /**
   * Checks the direction of the lines read unsurely, and turns the ones the classifier finds upside
   * down (crop, box and text) when they then read more surely. Reading first and checking after
   * spares the classifier on the lines read well, almost all of them.
   */
  private async turnUpsideDown(crops: Crop[], texts: Reading[], onBatch: (done: number, total: number) => void): Promise<void> {
    const unsure = readBelow(texts, UNSURE_BELOW);
    if (unsure.length === 0) return;
    const found = await this.upsideDown(unsure.map((i) => crops[i]!), (done) => onBatch(done, unsure.length));
    const flipped = unsure.filter((_, k) => found[k]);
    const turned = flipped.map((i): Crop => ({ image: rotate180(crops[i]!.image), box: rotateCorners(crops[i]!.box, 2) }));
    const reread = await this.recognise(turned, () => {});
    for (const [k, i] of flipped.entries()) {
      if (reread[k]!.confidence <= texts[i]!.confidence) continue;
      crops[i] = turned[k]!;
      texts[i] = reread[k]!;
    }
  }

  /** Reads the least sure lines again sharpened, and keeps the readings the recogniser is surer of. */
  private async rereadSharpened(crops: readonly Crop[], texts: Reading[]): Promise<void> {
    const unsure = readBelow(texts, SHARPEN_BELOW);
    if (unsure.length === 0) return;
    const reread = await this.recognise(unsure.map((i) => ({ ...crops[i]!, image: sharpen(crops[i]!.image, SHARPEN_AMOUNT) })), () => {});
    for (const [k, i] of unsure.entries()) if (reread[k]!.confidence > texts[i]!.confidence) texts[i] = reread[k]!;
  }

  /** Takes out the characters two overlapping boxes of one line both read (see `doubleReads`). */
  private dropDoubleReads(crops: readonly Crop[], texts: Reading[]): void {
    const placed = crops.map((crop, i) => {
      const reading = texts[i]!;
      const toShare = reading.pixelsPerStep / Math.max(1, crop.image.width);
      return {
        box: crop.box,
        characters: reading.characters.map((c) => ({ char: c.char, at: ((c.first + c.last + 1) / 2) * toShare })),
        slack: toShare,
      };
    });
    for (const [i, drop] of doubleReads(placed).entries()) {
      if (drop.size === 0) continue;
      const reading = texts[i]!;
      const characters = reading.characters.filter((_, k) => !drop.has(k));
      texts[i] = { ...reading, characters, text: lettersForZeros(insertWordGaps({ characters, spaceProbabilities: reading.spaceProbabilities })) };
    }
  }

  /** Whether the classifier finds each crop upside down. */
  private async upsideDown(crops: readonly Crop[], onBatch: (done: number) => void): Promise<boolean[]> {
    const { height, maxRatio } = DIRECTION_INPUT;
    const images = crops.map((crop) => cropLeft(crop.image, Math.ceil(crop.image.height * maxRatio)));
    const result = new Array<boolean>(crops.length);
    let done = 0;
    for (const batch of batchesByAspect(images)) {
      const width = Math.max(DIRECTION_INPUT.width, ...batch.map((i) => Math.ceil(height * aspect(images[i]!))));
      const tensor = new Float32Array(batch.length * 3 * height * width);
      for (const [b, i] of batch.entries()) writeLine(tensor, b, images[i]!, height, width);
      const { data } = await run(this.classifier, tensor, [batch.length, 3, height, width]);
      for (const [b, i] of batch.entries()) {
        const upright = data[b * 2]!;
        const turned = data[b * 2 + 1]!;
        result[i] = turned > upright && turned > DIRECTION_THRESHOLD;
      }
      done += batch.length;
      onBatch(done);
    }
    return result;
  }

  /** Batches of similar aspect ratio, so little of each batch is padding. */
  private async recognise(crops: readonly Crop[], onBatch: (done: number) => void): Promise<Reading[]> {
    const height = this.recognitionHeight;
    const results = new Array<Reading>(crops.length);
    let done = 0;
    for (const batch of batchesByAspect(crops.map((crop) => crop.image))) {
      const ratio = Math.max(MIN_RECOGNITION_RATIO, ...batch.map((i) => aspect(crops[i]!.image)));
      const width = Math.floor(height * ratio);
      const tensor = new Float32Array(batch.length * 3 * height * width);
      for (const [b, i] of batch.entries()) writeLine(tensor, b, crops[i]!.image, height, width);
      const { data, dims } = await run(this.recogniser, tensor, [batch.length, 3, height, width]);
      const steps = dims[1] ?? 0;
      const classes = dims[2] ?? 0;
      for (const [b, i] of batch.entries()) {
        const decoded = ctcGreedyDecode(data, steps, classes, this.alphabet, b * steps * classes);
        const image = crops[i]!.image;
        const pixelsPerStep = (width / Math.max(1, steps)) * (image.width / lineWidthOf(image, height, width));
        results[i] = { ...decoded, text: lettersForZeros(insertWordGaps(decoded)), pixelsPerStep };
      }
      done += batch.length;
      onBatch(done);
    }
    return results;
  }
}

function run(model: OnnxModel, data: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  return model.run(model.inputNames[0]!, data, dims, model.outputNames[0]!);
}

const aspect = (image: RgbImage): number => image.width / image.height;

/** The indices of the lines read with less confidence than `threshold`. */
const readBelow = (texts: readonly DecodedText[], threshold: number): number[] =>
  texts.flatMap((text, i) => (text.confidence < threshold ? [i] : []));

/**
 * Indices of the images, sorted by aspect ratio, in batches of BATCH_SIZE. (Batches of closer
 * widths, so less padding, were 4–5% faster but changed a few readings, not for the better.)
 */
function batchesByAspect(images: readonly RgbImage[]): number[][] {
  const order = images.map((_, i) => i).sort((a, b) => aspect(images[a]!) - aspect(images[b]!));
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += BATCH_SIZE) batches.push(order.slice(i, i + BATCH_SIZE));
  return batches;
}

/** The width a line image is resized to in a batch `height × width`: its aspect kept, at most `width`. */
const lineWidthOf = (image: RgbImage, height: number, width: number): number => Math.max(1, Math.min(width, Math.ceil(height * aspect(image))));

/**
 * Writes a line image into slot `b` of an NCHW batch `height × width`: resized to `height`
 * keeping its aspect (at most `width` wide), normalised, the rest left at 0 (PaddleOCR's padding).
 */
function writeLine(batch: Float32Array, b: number, image: RgbImage, height: number, width: number): void {
  const lineWidth = lineWidthOf(image, height, width);
  const resized = resizeBilinear(image, lineWidth, height);
  const values = pixelsToTensor(resized.pixels, lineWidth, height, LINE_SPEC);
  const plane = height * width;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const from = c * height * lineWidth + y * lineWidth;
      batch.set(values.subarray(from, from + lineWidth), (b * 3 + c) * plane + y * width);
    }
  }
}

/**
 * The box's text cut out upright: width along its top edge, height along its side, as PaddleOCR's
 * get_rotate_crop_image. A crop 1.5 times taller than wide is a line written downwards: its box
 * starts one corner later, which is the crop turned 90° anticlockwise (PaddleOCR's np.rot90), and
 * the box keeps starting at the text's top-left.
 */
export function cropUpright(image: RgbImage, box: Quad): Crop {
  let quad = box;
  let width = Math.max(distance(box[0], box[1]), distance(box[3], box[2]));
  let height = Math.max(distance(box[0], box[3]), distance(box[1], box[2]));
  if (height / Math.max(width, 1e-6) >= TALL_RATIO) {
    quad = rotateCorners(box, 1);
    [width, height] = [height, width];
  }
  return { image: warpQuad(image, quad, Math.max(1, Math.round(width)), Math.max(1, Math.round(height))), box: quad };
}

const roundPoint = ([x, y]: Point): Point => [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
