/**
 * Harf puts every word or phrase it is unsure of inside square brackets.
 * Returns those phrases, without the brackets, in the order they appear.
 *
 * Brackets are matched in pairs: a nested group counts once, as its outermost pair
 * (`[a [b] c]` gives `a b c`); a `]` with no opening `[`, or a `[` that is never closed,
 * is ignored (`[a [b] c` gives `b`); empty brackets give nothing.
 */
export function uncertainWordsIn(text: string): string[] {
  if (typeof text !== 'string' || !text.includes('[')) return [];
  const open: number[] = [];
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') open.push(i);
    else if (ch === ']' && open.length > 0) pairs.push([open.pop() as number, i]);
  }
  // Pairs close inner-first; keep only those not inside another pair.
  pairs.sort((a, b) => a[0] - b[0]);
  const words: string[] = [];
  let coveredUntil = -1;
  for (const [start, end] of pairs) {
    if (start < coveredUntil) continue;
    coveredUntil = end;
    const word = text
      .slice(start + 1, end)
      .replace(/[[\]]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (word !== '') words.push(word);
  }
  return words;
}

/** The text with Harf's uncertainty brackets removed and spaces tidied. */
export function withoutBrackets(text: string): string {
  return text.replace(/[[\]]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Counts space-separated words (brackets ignored). */
export function countWords(text: string): number {
  const plain = withoutBrackets(text);
  return plain === '' ? 0 : plain.split(' ').length;
}
