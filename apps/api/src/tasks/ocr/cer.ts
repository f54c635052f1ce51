/** Levenshtein distance between two strings, by code point. */
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

/** Character error rate of a recognised text against the reference: edits / reference length. */
export function cer(reference: string, hypothesis: string): number {
  const length = Array.from(reference).length;
  return length === 0 ? (hypothesis.length === 0 ? 0 : 1) : editDistance(reference, hypothesis) / length;
}
