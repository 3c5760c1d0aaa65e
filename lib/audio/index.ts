export {
  readWavInfo,
  WavReader,
  MIN_SAMPLE_RATE,
  MAX_SAMPLE_RATE,
  isHarfFormat,
  wavHeader,
  describeNonWav,
  parseFmt,
  EXPECTED_AUDIO,
  type WavInfo,
  type WavFormat,
  type AudioFormat,
} from './wav';
export { toHarfWav, toPcm16Mono, PcmConverter, HARF_SAMPLE_RATE } from './convert';
export { WavStreamConverter, type WavStreamConverterOptions } from './stream';
export { Resampler } from './resampler';
export { detectAudio, audioKindOf, ACCEPTED_AUDIO, AUDIO_KIND_NAMES, type AudioKind, type Detection } from './detect';
export { AudioStreamConverter, decodeToPcm16, type AudioStreamConverterOptions, type AudioStreamInfo, type DecodedPcm } from './anyFormat';
export { convertAudioFile, type ConvertedFile } from './file';
