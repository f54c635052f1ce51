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
 * when they already are (a softmax in the graph), otherwise softmaxed.
 */
export function ctcGreedyDecode(
  scores: Float32Array,
  steps: number,
  classes: number,
  alphabet: readonly string[],
  offset = 0,
): DecodedText {
  if (alphabet.length !== classes) throw new Error(`the recogniser has ${classes} classes but the dictionary gives ${alphabet.length}`);
  const isProbability = looksLikeProbabilities(scores, steps, classes, offset);
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      if (scores[row + c]! > max) {
        max = scores[row + c]!;
        best = c;
      }
    }
    let probability = max;
    if (!isProbability) {
      let exps = 0;
      for (let c = 0; c < classes; c++) exps += Math.exp(scores[row + c]! - max);
      probability = 1 / exps;
    }
    if (best !== 0 && best !== previous) {
      text += alphabet[best]!;
      sum += probability;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept === 0 ? 0 : sum / kept };
}

/** Whether every step's scores are in 0–1 and sum to 1 (the graph ends in a softmax). */
function looksLikeProbabilities(scores: Float32Array, steps: number, classes: number, offset: number): boolean {
  for (let t = 0; t < steps; t++) {
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const value = scores[offset + t * classes + c]!;
      if (value < 0 || value > 1) return false;
      total += value;
    }
    if (Math.abs(total - 1) > 1e-2) return false;
  }
  return true;
}
