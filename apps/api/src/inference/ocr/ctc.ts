/** The recogniser's classes: index 0 is CTC's blank, then the dictionary, then (PaddleOCR's `use_space_char`) a space. */
export function ctcAlphabet(dictionaryText: string): string[] {
  const lines = dictionaryText.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

export interface DecodedText {
  text: string;
  /** Mean probability of the kept characters; 0 for an empty text. */
  confidence: number;
}

/**
 * Greedy CTC decoding of one sequence (`steps × classes`, row-major, starting at `offset`): the best
 * class per step, repeats collapsed, blanks (class 0) dropped. The rows are used as probabilities
 * when they already are (every row in 0–1 and summing to 1: a softmax in the graph), otherwise
 * softmaxed. One pass over the scores finds each step's best class and checks the rows, as the
 * scores are large (6 625 classes for Chinese); logits take a second pass for their softmax.
 */
export function ctcGreedyDecode(
  scores: Float32Array,
  steps: number,
  classes: number,
  alphabet: readonly string[],
  offset = 0,
): DecodedText {
  if (alphabet.length !== classes) throw new Error(`the recogniser has ${classes} classes but the dictionary gives ${alphabet.length}`);
  const best = new Int32Array(steps);
  const max = new Float64Array(steps);
  let isProbability = true;
  for (let t = 0, row = offset; t < steps; t++, row += classes) {
    let top = 0;
    let topScore = -Infinity;
    let total = 0;
    let inRange = true;
    for (let c = 0; c < classes; c++) {
      const value = scores[row + c]!;
      if (value > topScore) {
        topScore = value;
        top = c;
      }
      total += value;
      if (value < 0 || value > 1) inRange = false;
    }
    best[t] = top;
    max[t] = topScore;
    if (!inRange || Math.abs(total - 1) > 1e-2) isProbability = false;
  }
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const c = best[t]!;
    if (c !== 0 && c !== previous) {
      text += alphabet[c]!;
      sum += isProbability ? max[t]! : softmaxOf(scores, offset + t * classes, classes, max[t]!);
      kept++;
    }
    previous = c;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}

/** The softmax of a row's largest score `max`. */
function softmaxOf(scores: Float32Array, row: number, classes: number, max: number): number {
  let exps = 0;
  for (let c = 0; c < classes; c++) exps += Math.exp(scores[row + c]! - max);
  return 1 / exps;
}
