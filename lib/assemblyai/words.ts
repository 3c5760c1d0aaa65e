import type { ShapeChecker } from '../http/shape';

/**
 * AssemblyAI's words, checked the same way for the Sync API and the legacy endpoint: a confidence
 * from 0 to 1 and times in ms from the start of the audio. A negative time, or an end before its
 * start, is the service's error, never the user's input.
 */
export function checkWords(checker: ShapeChecker, words: unknown): void {
  checker.array(words, 'words').forEach((item, index) => {
    const word = checker.object(item, `words[${index}]`);
    checker.string(word.text, `words[${index}].text`);
    checker.within(word.confidence, `words[${index}].confidence`, 0, 1, 'a confidence from 0 to 1');
    const start = checker.within(word.start, `words[${index}].start`, 0, Number.MAX_SAFE_INTEGER, 'milliseconds, 0 or more');
    const end = checker.within(word.end, `words[${index}].end`, 0, Number.MAX_SAFE_INTEGER, 'milliseconds, 0 or more');
    checker.ordered(start, end, `words[${index}].end`, word.end, word.start);
  });
}
