export { parseTime, formatTime, formatSubtitleTime } from './time';
export { uncertainWordsIn, withoutBrackets, countWords } from './uncertain';
export { enrichFileResult, splitByCertainty, mediaFragment, secondsOf, isEnriched } from './enrich';
export { shapeOutput, segmentEntry } from './shape';
export { toSrt, toWebVtt } from './subtitles';
export type {
  TimedSegment,
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
