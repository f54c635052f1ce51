/**
 * A feature's strings in both languages. The English ones set the shape; the Chinese ones must
 * have every key (and no other), so a string added in one language alone fails the type check.
 */
export function defineMessages<T extends MessageTree>(en: T, zh: Strings<T>): { en: Strings<T>; zh: Strings<T> } {
  return { en: en as Strings<T>, zh };
}

interface MessageTree {
  [key: string]: string | MessageTree;
}

/** The same keys, every leaf any string. */
type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
