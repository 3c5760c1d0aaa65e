/**
 * The resampler's inner loop as a tiny WebAssembly module using 128-bit SIMD: four filter taps
 * per multiply-add instead of one. It is assembled here from named opcodes (no build step, no
 * binary blob) and used when the runtime accepts it; otherwise the JavaScript loop in
 * resampler.ts does the same work.
 *
 * The one exported function, in WebAssembly text form:
 *
 *   render(out, count, table, rowBytes, history, h, phase, up, stepWhole, stepRem, phases, state)
 *     for each of `count` outputs:
 *       p = phase (or the nearest of `phases` stored phases, rounding up to the next sample)
 *       sum = dot(table row p, history from h)          ;; rows are a multiple of 16 taps
 *       out[i] = int16(clamp(floor(sum × 32768 + 0.5)))
 *       h += stepWhole; phase += stepRem; if phase >= up: phase -= up, h += 1
 *     state[0] = h; state[1] = phase
 *
 * Addresses are bytes in the imported memory; `h` counts float samples from `history`.
 */

/** The few WebAssembly members used here (the project compiles without the DOM typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

export type RenderKernel = (
  out: number,
  count: number,
  table: number,
  rowBytes: number,
  history: number,
  h: number,
  phase: number,
  up: number,
  stepWhole: number,
  stepRem: number,
  phases: number,
  state: number,
) => void;

// Value types, block types and instructions used below.
const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Store: 0x36,
  i32Store16: 0x3b,
  i32Const: 0x41,
  f32Const: 0x43,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  f32Floor: 0x8e,
  f32Add: 0x92,
  f32Mul: 0x94,
  f32Min: 0x96,
  f32Max: 0x97,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivU: 0x6e,
  i32Shl: 0x74,
} as const;
/** 0xFC and 0xFD prefixed instructions, sub-opcodes as unsigned LEB128. */
const i32TruncSatF32S = [0xfc, 0x00];
const v128Load = [0xfd, 0x00];
const v128Const = [0xfd, 0x0c];
const f32x4ExtractLane = [0xfd, 0x1f];
const f32x4Add = [0xfd, 0xe4, 0x01];
const f32x4Mul = [0xfd, 0xe6, 0x01];

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

function f32(value: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value, 0);
  return [...bytes];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Buffer.from(text, 'latin1')];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

// Parameters, then locals, by index.
const [OUT, COUNT, TABLE, ROW_BYTES, HISTORY, H, PHASE, UP, STEP_WHOLE, STEP_REM, PHASES, STATE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [R, R_END, HP, P, A0, A1, A2, A3] = [12, 13, 14, 15, 16, 17, 18, 19];

const get = (local: number) => [op.get, local];
const set = (local: number) => [op.set, local];
const i32 = (value: number) => [op.i32Const, ...sleb(value)];
/** memarg: alignment (log2) and offset. */
const mem = (align: number, offset: number) => [align, ...uleb(offset)];

function renderBody(): number[] {
  return [
    // Locals: r, rEnd, hp, p (i32); a0 … a3 (v128).
    ...vector([
      [4, I32],
      [4, V128],
    ]),
    op.block, VOID,
    ...get(COUNT), op.i32Eqz, op.brIf, 0,
    op.loop, VOID,
    // p = phase; hp = history + 4h
    ...get(PHASE), ...set(P),
    ...get(HISTORY), ...get(H), ...i32(2), op.i32Shl, op.i32Add, ...set(HP),
    ...get(PHASES), ...get(UP), op.i32Ne,
    op.if, VOID,
    // Nearest stored phase, halves rounding up: (2 × phase × phases + up) / (2 × up).
    ...get(PHASE), ...get(PHASES), op.i32Mul, ...i32(1), op.i32Shl, ...get(UP), op.i32Add,
    ...get(UP), ...i32(1), op.i32Shl, op.i32DivU, ...set(P),
    ...get(P), ...get(PHASES), op.i32Eq,
    op.if, VOID,
    ...i32(0), ...set(P),
    ...get(HP), ...i32(4), op.i32Add, ...set(HP),
    op.end,
    op.end,
    // r = table + p × rowBytes; rEnd = r + rowBytes
    ...get(TABLE), ...get(P), ...get(ROW_BYTES), op.i32Mul, op.i32Add, op.tee, R,
    ...get(ROW_BYTES), op.i32Add, ...set(R_END),
    ...v128Const, ...new Array(16).fill(0), ...set(A0),
    ...v128Const, ...new Array(16).fill(0), ...set(A1),
    ...v128Const, ...new Array(16).fill(0), ...set(A2),
    ...v128Const, ...new Array(16).fill(0), ...set(A3),
    // Four independent sums, so each addition need not wait for the one before.
    op.loop, VOID,
    ...get(A0), ...get(R), ...v128Load, ...mem(2, 0), ...get(HP), ...v128Load, ...mem(2, 0), ...f32x4Mul, ...f32x4Add, ...set(A0),
    ...get(A1), ...get(R), ...v128Load, ...mem(2, 16), ...get(HP), ...v128Load, ...mem(2, 16), ...f32x4Mul, ...f32x4Add, ...set(A1),
    ...get(A2), ...get(R), ...v128Load, ...mem(2, 32), ...get(HP), ...v128Load, ...mem(2, 32), ...f32x4Mul, ...f32x4Add, ...set(A2),
    ...get(A3), ...get(R), ...v128Load, ...mem(2, 48), ...get(HP), ...v128Load, ...mem(2, 48), ...f32x4Mul, ...f32x4Add, ...set(A3),
    ...get(HP), ...i32(64), op.i32Add, ...set(HP),
    ...get(R), ...i32(64), op.i32Add, op.tee, R,
    ...get(R_END), op.i32LtU, op.brIf, 0,
    op.end,
    // Sum the lanes, scale, round half up, clip, store as int16.
    ...get(A0), ...get(A1), ...f32x4Add, ...get(A2), ...get(A3), ...f32x4Add, ...f32x4Add, ...set(A0),
    ...get(A0), ...f32x4ExtractLane, 0,
    ...get(A0), ...f32x4ExtractLane, 1, op.f32Add,
    ...get(A0), ...f32x4ExtractLane, 2, op.f32Add,
    ...get(A0), ...f32x4ExtractLane, 3, op.f32Add,
    op.f32Const, ...f32(32768), op.f32Mul, op.f32Const, ...f32(0.5), op.f32Add, op.f32Floor,
    op.f32Const, ...f32(-32768), op.f32Max, op.f32Const, ...f32(32767), op.f32Min,
    ...i32TruncSatF32S, ...set(P),
    ...get(OUT), ...get(P), op.i32Store16, ...mem(1, 0),
    ...get(OUT), ...i32(2), op.i32Add, ...set(OUT),
    // Next output position.
    ...get(H), ...get(STEP_WHOLE), op.i32Add, ...set(H),
    ...get(PHASE), ...get(STEP_REM), op.i32Add, op.tee, PHASE,
    ...get(UP), op.i32GeU,
    op.if, VOID,
    ...get(PHASE), ...get(UP), op.i32Sub, ...set(PHASE),
    ...get(H), ...i32(1), op.i32Add, ...set(H),
    op.end,
    ...get(COUNT), ...i32(1), op.i32Sub, op.tee, COUNT,
    op.brIf, 0,
    op.end,
    op.end,
    ...get(STATE), ...get(H), op.i32Store, ...mem(2, 0),
    ...get(STATE), ...get(PHASE), op.i32Store, ...mem(2, 4),
    op.end,
  ];
}

function moduleBytes(): Uint8Array {
  const body = renderBody();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([[0x60, ...vector(new Array(12).fill([I32])), 0]])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name('render'), 0x00, 0]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}

let compiled: object | null | undefined;

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** The compiled module, or null where WebAssembly or its SIMD instructions are unavailable. */
function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = wasmApi();
  if (!api) return compiled;
  try {
    const bytes = moduleBytes();
    if (api.validate(bytes)) compiled = new api.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

export interface SimdKernel {
  /** The memory the kernel reads and writes; views on it stay valid (it never grows). */
  buffer: ArrayBuffer;
  render: RenderKernel;
}

/** A kernel instance with `bytes` of memory of its own, or undefined when SIMD is unavailable. */
export function simdKernel(bytes: number): SimdKernel | undefined {
  const module = kernelModule();
  const api = wasmApi();
  if (!module || !api) return undefined;
  try {
    const memory = new api.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const instance = new api.Instance(module, { env: { memory } });
    return { buffer: memory.buffer, render: instance.exports.render as RenderKernel };
  } catch {
    // Each memory reserves address space; where that runs out, the JavaScript loop still works.
    return undefined;
  }
}
