/**
 * Character error rate for the OCR bench: Levenshtein distance over code points, after the
 * normalisation every engine's output and the ground truth go through alike.
 */

export type TextLanguage = 'en' | 'zh';

/**
 * NFKC (full-width `，：（１` become `,:(1`, which engines emit either way), whitespace runs to one
 * space, trimmed. Chinese drops spaces altogether: engines put them between characters, or not.
 */
export function normaliseText(text: string, language: TextLanguage): string {
  const collapsed = text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  return language === 'zh' ? collapsed.replace(/ /gu, '') : collapsed;
}

/** Levenshtein distance between two strings, by code point (a CJK character counts once). */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** Edits and reference length after normalisation; a subset's CER is Σ edits / Σ length. */
export function charErrors(reference: string, hypothesis: string, language: TextLanguage): { edits: number; length: number } {
  const ref = normaliseText(reference, language);
  const hyp = normaliseText(hypothesis, language);
  return { edits: editDistance(ref, hyp), length: Array.from(ref).length };
}

/** Character error rate of one text: edits / reference length (can exceed 1 for extra text). */
export function cer(reference: string, hypothesis: string, language: TextLanguage): number {
  const { edits, length } = charErrors(reference, hypothesis, language);
  return length === 0 ? (edits === 0 ? 0 : 1) : edits / length;
}
