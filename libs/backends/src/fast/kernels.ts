/**
 * Loads the fast path's kernels, either kind: WebAssembly (compiled from assembly/fast-kernels.ts
 * by the build; portable) or native (native/fast-kernels.cc, AVX2 + FMA, an N-API addon the build
 * compiles where it can), and gives each user its own memory, laid out once by a `FastArena`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// The few WebAssembly JS API types used here (the workspace compiles without the DOM lib).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly kind: 'fast-kernels';
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The kernels' exports; pointers are byte offsets into the instance's memory. */
export interface FastKernelExports {
  gemm(a: number, sm: number, sk: number, b: number, c: number, M: number, K: number, N: number, bias: number, act: number, acc: number): void;
  transpose(src: number, dst: number, R: number, C: number): void;
  activate(p: number, n: number, act: number): void;
  activationBackward(g: number, y: number, n: number, act: number): void;
  columnSum(x: number, out: number, M: number, N: number, acc: number): void;
  mlpForward(table: number, layers: number, batch: number): void;
  mlpBackward(table: number, layers: number, batch: number, inputGrad: number, weights: number): void;
  sumSquares(p: number, n: number): number;
  scale(p: number, n: number, s: number): void;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, stepSize: number, sqrtBc2: number, wd: number, decoupled: number): void;
  columnSum64(x: number, out: number, M: number, N: number): void;
  columnDot64(a: number, b: number, mu: number, out: number, M: number, N: number): void;
  normalizeAffine(x: number, mu: number, inv: number, scale: number, shift: number, z: number, y: number, M: number, N: number, act: number): void;
  normalizeInputGrad(g: number, z: number, s: number, mg: number, mgz: number, dx: number, M: number, N: number): void;
  heapBase(): number;
}

/** The activations the kernels fold in, by code (index). */
export const FAST_ACTIVATIONS = ['linear', 'relu', 'tanh', 'selu'] as const;
export type FastActivation = (typeof FAST_ACTIVATIONS)[number];

/** The kernels are not built (the .wasm is a build output); one line. */
export class FastKernelsUnavailableError extends Error {
  override readonly name = 'FastKernelsUnavailableError';
}

/** Which build of the kernels: `wasm` (WebAssembly SIMD, anywhere) or `native` (x86-64 AVX2 + FMA). */
export type FastKernelKind = 'wasm' | 'native';
export const FAST_KERNEL_KINDS: readonly FastKernelKind[] = ['wasm', 'native'];

/**
 * The loaded kernels; `FastArena` gives them a memory. `wasm`: the compiled module, instantiated
 * per arena. `native`: `bind(buffer)` gives the kernel functions working on that memory.
 */
export type FastKernels = { readonly kind: 'wasm'; readonly module: WasmModule } | { readonly kind: 'native'; readonly bind: (buffer: ArrayBuffer) => FastKernelExports };

const DEFAULT_WASM = fileURLToPath(new URL('../../build/fast-kernels.wasm', import.meta.url));
const DEFAULT_NATIVE = fileURLToPath(new URL('../../build/fast-kernels.node', import.meta.url));

/** Reads and compiles build/fast-kernels.wasm (or `path`). Synchronous: a few milliseconds. */
export function loadFastKernels(path: string = DEFAULT_WASM): FastKernels {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new FastKernelsUnavailableError(`the fast CPU path's kernels are not built (${path} is missing); run \`npm run build\` in the gymlab checkout`);
  }
  return { kind: 'wasm', module: new wasm.Module(bytes) };
}

/** Whether the native kernels load and run here (built, and a CPU with AVX2 and FMA). */
export function nativeKernelsAvailable(): boolean {
  try {
    loadNativeKernels();
    return true;
  } catch (err) {
    if (err instanceof FastKernelsUnavailableError) return false;
    throw err;
  }
}

/** What the addon exports: whether this CPU runs the kernels (AVX2 and FMA), and `bind`. */
interface NativeAddon {
  readonly available: boolean;
  readonly reason?: string;
  readonly bind?: (buffer: ArrayBuffer) => FastKernelExports;
}

const requireNative = createRequire(import.meta.url);

/**
 * Loads build/fast-kernels.node (or `path`), the native kernels the build compiles on x86-64 with a
 * C++ compiler. A missing or unloadable addon, or a CPU without AVX2/FMA, is one
 * `FastKernelsUnavailableError` line saying why and how to get them.
 */
export function loadNativeKernels(path: string = DEFAULT_NATIVE): FastKernels {
  let addon: NativeAddon;
  try {
    addon = requireNative(path) as NativeAddon;
  } catch (err) {
    const missing = (err as { code?: string }).code === 'MODULE_NOT_FOUND';
    const why = missing ? `${path} is missing` : `${path} does not load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    throw new FastKernelsUnavailableError(
      `the native kernels are not built (${why}); run \`npm run build\` on x86-64 with a C++ compiler (g++) and Node's headers (\`node libs/backends/scripts/build-native.mjs --check\` says what is missing)`,
    );
  }
  if (!addon.available || addon.bind === undefined) throw new FastKernelsUnavailableError(`the native kernels cannot run here: ${addon.reason ?? 'the addon says it is unavailable'} (they need AVX2 and FMA)`);
  return { kind: 'native', bind: addon.bind };
}

const PAGE = 65536;

/** Where native arenas start laying out (offset 0 means "no buffer" to the kernels). */
const NATIVE_HEAP_BASE = 16;

/**
 * One kernel instance and its memory (a WebAssembly.Memory for either kind), with a bump layout:
 * `alloc` reserves 16-byte aligned f32 regions; `commit` grows the memory once and after that
 * `f32(region)` gives views. Regions are reserved before any view is taken, so the memory never
 * grows under a live view. Native kernels are bound to the memory at `commit` (its buffer is final
 * then), so `k` is there from `commit` on; the wasm instance's from the start.
 */
export class FastArena {
  readonly memory: WasmMemory;
  readonly kind: FastKernelKind;
  private exports: FastKernelExports | null;
  private readonly kernels: FastKernels;
  private top: number;
  private committed = false;

  constructor(kernels: FastKernels) {
    this.kernels = kernels;
    this.kind = kernels.kind;
    this.memory = new wasm.Memory({ initial: 1 });
    if (kernels.kind === 'wasm') {
      const inst = new wasm.Instance(kernels.module, { env: { memory: this.memory } });
      this.exports = inst.exports as FastKernelExports;
      this.top = align16(this.exports.heapBase());
    } else {
      this.exports = null;
      this.top = NATIVE_HEAP_BASE;
    }
  }

  /** The kernels on this arena's memory (native ones from `commit` on). */
  get k(): FastKernelExports {
    if (this.exports === null) throw new Error('FastArena: native kernels before commit');
    return this.exports;
  }

  /** Reserves `floats` f32 and returns the region's byte offset. */
  alloc(floats: number): number {
    if (this.committed) throw new Error('FastArena: alloc after commit');
    const at = this.top;
    this.top = align16(at + 4 * floats);
    return at;
  }

  /** Grows the memory to hold every region (once). */
  commit(): void {
    if (this.committed) return;
    const need = Math.ceil(this.top / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (need > 0) this.memory.grow(need);
    this.committed = true;
    if (this.kernels.kind === 'native') this.exports = this.kernels.bind(this.memory.buffer);
  }

  /** A Float32Array view of `floats` values at byte offset `at`. */
  f32(at: number, floats: number): Float32Array {
    if (!this.committed) throw new Error('FastArena: view before commit');
    return new Float32Array(this.memory.buffer, at, floats);
  }

  /** An Int32Array view of `ints` values at byte offset `at`. */
  i32(at: number, ints: number): Int32Array {
    if (!this.committed) throw new Error('FastArena: view before commit');
    return new Int32Array(this.memory.buffer, at, ints);
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
