export { parseTime, formatTime, formatSubtitleTime, timeSeconds } from './time';
export { speakerOf, speakerTurns, joinedText } from './speakers';
export type { SpeakerTurn } from './speakers';
export { uncertainWordsIn, withoutBrackets, countWords } from './uncertain';
export { enrichFileResult, splitByCertainty, mediaFragment, secondsOf, isEnriched } from './enrich';
export { shapeOutput, segmentEntry } from './shape';
export { toSrt, toWebVtt } from './subtitles';
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
