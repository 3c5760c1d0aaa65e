import { BadInputError, TranscriptionError } from '../errors';
import type { AudioKind } from './detect';
import { FlacStreamDecoder, type FlacFrameDecoder } from './flac';

/** What one call of a WebAssembly decoder gives: planar float samples. */
export interface DecodedAudio {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors?: { message: string }[];
  /** What was decoded but looks wrong (a length that disagrees with the file's own header). */
  warnings?: string[];
}

/** The part of the wasm-audio-decoders API the package uses (the same for the four codecs). */
interface WasmDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): DecodedAudio | Promise<DecodedAudio>;
  flush?(): Promise<DecodedAudio>;
  free(): void | Promise<void>;
}

type DecoderClass = new (options?: Record<string, unknown>) => WasmDecoder;

// Each codec's package and class; loaded on first use, so WAV-only work never loads WebAssembly.
const PACKAGES: Record<Exclude<AudioKind, 'wav'>, { module: string; name: string }> = {
  'ogg-opus': { module: 'ogg-opus-decoder', name: 'OggOpusDecoder' },
  'ogg-vorbis': { module: '@wasm-audio-decoders/ogg-vorbis', name: 'OggVorbisDecoder' },
  mp3: { module: 'mpg123-decoder', name: 'MPEGDecoder' },
  flac: { module: '@wasm-audio-decoders/flac', name: 'FLACDecoder' },
};

const loaded = new Map<string, DecoderClass>();

function loadExports(module: string): Record<string, unknown> {
  try {
    // The decoders are ES modules: Node 20.19+ and 22.12+ load them with require().
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(module) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_REQUIRE_ESM') {
      throw new TranscriptionError(
        `Decoding this audio needs Node.js 20.19 or newer (this is ${process.version}), which can load the ${module} decoder`,
      );
    }
    throw error;
  }
}

function loadClass(kind: Exclude<AudioKind, 'wav'>): DecoderClass {
  const { module, name } = PACKAGES[kind];
  const known = loaded.get(module);
  if (known) return known;
  const decoder = loadExports(module)[name] as DecoderClass | undefined;
  if (typeof decoder !== 'function') throw new TranscriptionError(`The ${module} package has no ${name}`);
  loaded.set(module, decoder);
  return decoder;
}

/** One decoder instance for one stream: bytes in, planar float samples out. */
export class CodecDecoder {
  private decoder?: WasmDecoder;
  private freed = false;

  constructor(readonly kind: Exclude<AudioKind, 'wav'>) {}

  private async instance(): Promise<WasmDecoder> {
    if (this.freed) throw new BadInputError('audio', 'more audio after the end', 'no audio once the decoder has ended');
    if (!this.decoder) {
      const Decoder = loadClass(this.kind);
      this.decoder =
        this.kind === 'flac'
          ? new FlacStreamDecoder(new Decoder() as unknown as FlacFrameDecoder<DecodedAudio>, loadExports('codec-parser').default as never)
          : new Decoder();
      await this.decoder.ready;
    }
    return this.decoder;
  }

  async decode(bytes: Uint8Array): Promise<DecodedAudio> {
    const decoder = await this.instance();
    return await decoder.decode(bytes);
  }

  /** The samples still inside the decoder (FLAC's and OGG's last frames). */
  async flush(): Promise<DecodedAudio | undefined> {
    const decoder = await this.instance();
    return decoder.flush ? await decoder.flush() : undefined;
  }

  free(): void {
    this.freed = true;
    const decoder = this.decoder;
    this.decoder = undefined;
    if (decoder) void Promise.resolve(decoder.free()).catch(() => undefined);
  }
}
