// The WebAssembly module is read and compiled on the first resampler, not when the package loads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What wasm/resample.ts exports: addresses are byte offsets in the memory of `kernelArrays`. */
export interface ResampleKernels {
  halfBand(input: number, center: number, taps: number, pairs: number, out: number, count: number): void;
  polyphase(
    table: number,
    rowLength: number,
    phases: number,
    stage: number,
    first: number,
    phase: number,
    up: number,
    stepWhole: number,
    stepRem: number,
    out: number,
    count: number,
  ): void;
}

// Node has WebAssembly; TypeScript declares it only beside the DOM's types.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: unknown };
};

let compiled: object | undefined;

const PAGE_BYTES = 65536;
const SLACK_BYTES = 64;

/**
 * Float64Arrays of the given lengths laid out one after another (16-byte aligned) in a memory of
 * their own, and the kernels working on it: an array's `byteOffset` is its address for them. The
 * memory never grows, so the arrays stay valid.
 */
export function kernelArrays(lengths: number[]): { kernels: ResampleKernels; arrays: Float64Array[] } {
  compiled ??= new WebAssembly.Module(readFileSync(join(__dirname, 'wasm', 'resample.wasm')));
  const sizes = lengths.map((length) => Math.ceil(length / 2) * 16);
  // Room after the last array for what a kernel reads past an array's end and never uses.
  const total = sizes.reduce((sum, size) => sum + size, SLACK_BYTES);
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(total / PAGE_BYTES)) });
  const kernels = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as ResampleKernels;
  let at = 0;
  const arrays = lengths.map((length, i) => {
    const array = new Float64Array(memory.buffer, at, length);
    at += sizes[i];
    return array;
  });
  return { kernels, arrays };
}
