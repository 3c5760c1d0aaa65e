export { parseTime, formatTime, formatSubtitleTime, timeSeconds } from './time';
export { speakerOf, speakerTurns, joinedText } from './speakers';
export type { SpeakerTurn } from './speakers';
export { uncertainWordsIn, withoutBrackets, countWords } from './uncertain';
export { enrichFileResult, enrichSegments, splitByCertainty, mediaFragment, secondsOf, isEnriched } from './enrich';
export { shapeOutput, segmentEntry } from './shape';
export { toSrt, toWebVtt } from './subtitles';
export { buildCues, RLM, MAX_LINE_LENGTH, MAX_CUE_LINES } from './cues';
export type { Cue, SubtitleOptions } from './cues';
export { OUTPUT_MODES } from './types';
export type {
  TimedSegment,
  SegmentTime,
  SourceSegment,
  FileTranscriptResult,
  TranscriptFile,
  TranscriptSegment,
  TranscriptSource,
  UncertainWord,
  EnrichOptions,
  OutputMode,
  ShapeOptions,
  ShapedOutput,
  TimedText,
} from './types';
export { normalizePersianText, withNormalizedText, checkDigitStyle, DIGIT_STYLES } from './normalize';
export type { DigitStyle, NormalizeOptions } from './normalize';
