import { BadInputError, describeValue } from '../errors';
import type { TranscriptFile, TranscriptSegment } from './types';

/** How digits are written in `normalized_text`: as sent, Persian (۱۲۳) or Latin (123). */
export type DigitStyle = 'keep' | 'persian' | 'latin';
export const DIGIT_STYLES: readonly DigitStyle[] = ['keep', 'persian', 'latin'];

export interface NormalizeOptions {
  /** Default `keep`. */
  digits?: DigitStyle;
}

export function checkDigitStyle(value: unknown, field = 'digits'): DigitStyle {
  if (value === undefined || value === '') return 'keep';
  if (!DIGIT_STYLES.includes(value as DigitStyle))
    throw new BadInputError(field, describeValue(value), `one of ${DIGIT_STYLES.join(', ')}`);
  return value as DigitStyle;
}

type PersianTools = typeof import('@persian-tools/persian-tools');
let loaded: PersianTools | undefined;

/** Loaded on first use: flows that never normalise never load it. */
function persianTools(): PersianTools {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@persian-tools/persian-tools') as PersianTools;
  return loaded;
}

function normalizePiece(text: string, digits: DigitStyle): string {
  const { digitsArToEn, digitsArToFa, digitsEnToFa, digitsFaToEn, halfSpace, toPersianChars } = persianTools();
  // halfSpace trims; the spaces around a piece are the ones beside Harf's brackets.
  const [, before, core, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) as RegExpExecArray;
  if (core === '') return text;
  // persian-tools: Arabic ي/ك as Persian ی/ک, then the half-space (ZWNJ) after می/نمی and before ها etc.
  let out = halfSpace(toPersianChars(core));
  if (digits === 'persian') out = digitsEnToFa(digitsArToFa(out));
  else if (digits === 'latin') out = digitsFaToEn(digitsArToEn(out));
  return `${before}${out}${after}`;
}

/**
 * Persian text as Persian readers expect it: Persian letters, half-spaces where the orthography wants
 * them (می‌گفت, کتاب‌ها) and digits as asked. Harf's brackets are kept, and the text inside them is
 * normalised too.
 */
export function normalizePersianText(text: string, options: NormalizeOptions = {}): string {
  const digits = checkDigitStyle(options.digits);
  if (typeof text !== 'string') throw new BadInputError('text', describeValue(text), 'text');
  return text
    .split(/([[\]])/)
    .map((piece) => (piece === '[' || piece === ']' ? piece : normalizePiece(piece, digits)))
    .join('');
}

/**
 * The file with `normalized_text` beside `text`, on the file and on each segment. The API's `text`
 * is never changed.
 */
export function withNormalizedText(file: TranscriptFile, options: NormalizeOptions = {}): TranscriptFile {
  const segments: TranscriptSegment[] = file.segments.map((segment) => ({
    ...segment,
    normalized_text: normalizePersianText(segment.text, options),
  }));
  return { ...file, segments, normalized_text: normalizePersianText(file.text, options) };
}
