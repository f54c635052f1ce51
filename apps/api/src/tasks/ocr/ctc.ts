/** The recogniser's classes: index 0 is CTC's blank, then the dictionary, then (PaddleOCR's `use_space_char`) a space. */
export function ctcAlphabet(dictionaryText: string): string[] {
  const lines = dictionaryText.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

/** One character of a greedy CTC path and the run of time steps it was emitted on (inclusive). */
export interface DecodedCharacter {
  char: string;
  first: number;
  last: number;
}

export interface DecodedText {
  text: string;
  /** Mean probability of the kept characters; 0 for an empty text. */
  confidence: number;
  /** The kept characters in order, with their steps (`text` is their `char`s joined, as decoded). */
  characters: DecodedCharacter[];
  /** Per step, the probability of the space class (the last), even where another class won. */
  spaceProbabilities: Float32Array;
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
  const spaceProbabilities = new Float32Array(steps);
  const space = classes - 1;
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
    spaceProbabilities[t] = scores[row + space]!;
    if (!inRange || Math.abs(total - 1) > 1e-2) isProbability = false;
  }
  const characters: DecodedCharacter[] = [];
  let sum = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const c = best[t]!;
    if (c !== 0 && c === previous) characters.at(-1)!.last = t;
    else if (c !== 0) {
      characters.push({ char: alphabet[c]!, first: t, last: t });
      sum += isProbability ? max[t]! : softmaxOf(scores, offset + t * classes, classes, max[t]!);
    }
    previous = c;
  }
  if (!isProbability) {
    for (let t = 0; t < steps; t++) spaceProbabilities[t] = Math.exp(spaceProbabilities[t]! - max[t]!) * softmaxOf(scores, offset + t * classes, classes, max[t]!);
  }
  const text = characters.map((character) => character.char).join('');
  return { text, confidence: characters.length === 0 ? 0 : sum / characters.length, characters, spaceProbabilities };
}

/**
 * Characters between which a left-out space is looked for: ASCII letters, digits and common
 * punctuation. Never CJK, which is written without spaces.
 */
const LATIN = /^[A-Za-z0-9.,;:!?'"()\-&/%+=#@$]$/;
const PUNCTUATION = /^[.,;:!?]$/;
/**
 * The Chinese-trained recogniser often leaves out the space between English words on blurred
 * text, but it still gives the space class some probability on the blank steps of the gap:
 * between letters 0.1–0.5, where gaps inside words reach 0.09 at most (the OCR bench's English
 * lines, two seeds of 48 images). After punctuation the two are further apart: a left-out space
 * 0.026 or more, no space ("10:20", "4.75") 0.002 at most. This replaced a rule on the width of
 * the gap, which split letters ("N W1", "S mith") on three held-out seeds and found no space the
 * probability missed.
 */
export const SPACE_PROBABILITY = 0.1;
export const SPACE_PROBABILITY_AFTER_PUNCTUATION = 0.02;

/**
 * The text of a greedy CTC path with a space put between two Latin characters where the
 * recogniser left one out: where the space class was likely on the blank steps between them
 * (see SPACE_PROBABILITY). A space the recogniser did emit is kept as it is.
 */
export function insertWordGaps(decoded: Pick<DecodedText, 'characters' | 'spaceProbabilities'>): string {
  const { characters, spaceProbabilities } = decoded;
  const spaceLeftOut = (i: number): boolean => {
    const [left, right] = [characters[i]!, characters[i + 1]!];
    if (!LATIN.test(left.char) || !LATIN.test(right.char)) return false;
    const threshold = PUNCTUATION.test(left.char) ? SPACE_PROBABILITY_AFTER_PUNCTUATION : SPACE_PROBABILITY;
    for (let t = left.last + 1; t < right.first; t++) if (spaceProbabilities[t]! >= threshold) return true;
    return false;
  };
  let spaced = '';
  for (let i = 0; i < characters.length; i++) {
    spaced += characters[i]!.char;
    if (i + 1 < characters.length && spaceLeftOut(i)) spaced += ' ';
  }
  return spaced;
}

/**
 * The Chinese-trained recogniser sometimes reads a capital O as a zero ("0ak"). In a word of
 * Latin letters whose only digits are zeros, a zero is a letter: O at the word's start or in a word
 * without lower case, o otherwise ("0ak" → "Oak", "B0X" → "BOX", "G00d" → "Good"). Numbers,
 * codes with other digits ("B2B", "10am") and words of fewer than two letters are left as read.
 */
export function lettersForZeros(text: string): string {
  return text.replace(/[A-Za-z0-9]+/g, (word) => {
    if (!word.includes('0') || /[1-9]/.test(word) || (word.match(/[A-Za-z]/g)?.length ?? 0) < 2) return word;
    const capitals = !/[a-z]/.test(word);
    return [...word].map((char, i) => (char !== '0' ? char : i === 0 || capitals ? 'O' : 'o')).join('');
  });
}

/** The softmax of a row's largest score `max`. */
function softmaxOf(scores: Float32Array, row: number, classes: number, max: number): number {
  let exps = 0;
  for (let c = 0; c < classes; c++) exps += Math.exp(scores[row + c]! - max);
  return 1 / exps;
}
