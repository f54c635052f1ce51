/**
 * Character error rate for the OCR bench: Levenshtein distance over code points, after the
 * normalisation every engine's output and the ground truth go through alike.
 */

import { editDistance } from '../../src/tasks/ocr/cer.js';

export type TextLanguage = 'en' | 'zh';

/**
 * NFKC (full-width `，：（１` become `,:(1`, which engines emit either way), whitespace runs to one
 * space, trimmed. Chinese drops spaces altogether: engines put them between characters, or not.
 */
export function normaliseText(text: string, language: TextLanguage): string {
  const collapsed = text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  return language === 'zh' ? collapsed.replace(/ /gu, '') : collapsed;
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
