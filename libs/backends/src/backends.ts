/**
 * Picks and initialises the TensorFlow.js backend a run computes on. TensorFlow.js keeps its
 * backend per process, so one process runs one backend: each Session runs in its own process.
 */
import { createRequire } from 'node:module';
import { FastKernelsUnavailableError, loadFastKernels, loadNativeKernels, type FastKernels } from './fast/kernels.js';

export type Tf = typeof import('@tensorflow/tfjs');

/**
 * The TensorFlow.js packages are CommonJS bundles: `require` loads them as they are, where an ESM
 * `import` first has Node scan the 1.3 MB tfjs bundle for its export names (0.6 s of CPU in every
 * process: the CLI, each session worker).
 */
const requireCjs = createRequire(import.meta.url);
const tf = requireCjs('@tensorflow/tfjs') as Tf;
/**
 * `fast` and `native`: the nets the fast CPU path has (./fast) compute there, on its WebAssembly
 * SIMD kernels (`fast`, portable) or its native AVX2/FMA kernels (`native`, x86-64, built where a
 * C++ compiler is), and TensorFlow.js (wasm) is loaded for anything else; the CPU default (native,
 * then fast) when the request says the fast path runs the spec (`BackendRequest.fastFits`).
 */
export type BackendName = 'cpu' | 'wasm' | 'tensorflow' | 'tensorflow-gpu' | 'webgpu' | 'fast' | 'native';
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'tensorflow', 'tensorflow-gpu', 'webgpu', 'fast', 'native'];

/** Whether `name` computes the nets on the fast CPU path (`fast` or `native`, its two kernel builds). */
export function isFastPath(name: BackendName | null): name is 'fast' | 'native' {
  return name === 'fast' || name === 'native';
}

/**
 * What the spec asks for: `agent.net.gpu` and the explicit `agent.net.backend`; and whether the
 * fast CPU path runs the spec's algorithm and nets (the caller knows, from the agents' registry):
 * then a request that names no backend and does not require a GPU computes on `fast`.
 */
export interface BackendRequest {
  readonly gpu: 'auto' | boolean;
  readonly backend: BackendName | null;
  /** The fast path has everything the spec asks for (absent: false). */
  readonly fastFits?: boolean;
}

export interface ComputeBackend {
  readonly name: BackendName;
  /** The tfjs module, with `name` active. */
  readonly tf: Tf;
  /** Versions of the tfjs packages in use. */
  readonly versions: Readonly<Record<string, string>>;
  /** The fast CPU path's kernels, loaded when `name` is `fast` (wasm kernels) or `native` (native ones). */
  readonly fast?: FastKernels;
}

/** A backend that cannot be used here; `message` is one line saying what to install. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

interface Loader {
  /** The tfjs name the backend registers under. */
  readonly tfName: string;
  /** The package whose import registers the backend with tfjs; null when tfjs has it built in. */
  readonly pkg: string | null;
  /** What to install or have when the backend is missing, for the error line. */
  readonly install: string;
  /** Set-up before the import (webgpu in Node: a `navigator.gpu` from the `webgpu` package). */
  readonly prepare?: () => Promise<void>;
}

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/** Loads an optional package: the tfjs backends (CommonJS) with `require`, others (`webgpu`) with `import`. */
async function importOptional(pkg: string, backend: BackendName, install: string): Promise<unknown> {
  try {
    return pkg.startsWith('@tensorflow/') ? requireCjs(pkg) : await import(pkg);
  } catch (err) {
    throw new BackendUnavailableError(backend, `backend '${backend}' is not available (${firstLine(err)}); ${install}`);
  }
}

const WEBGPU_INSTALL = 'install @tensorflow/tfjs-backend-webgpu and the `webgpu` package (Dawn for Node), and run on a machine with a GPU adapter';

/** Node has no `navigator.gpu`: take one from the `webgpu` package (Dawn) unless it is there. */
async function provideNavigatorGpu(): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return;
  const mod = (await importOptional('webgpu', 'webgpu', WEBGPU_INSTALL)) as { create?: (flags: string[]) => unknown; globals?: Record<string, unknown> };
  if (typeof mod.create !== 'function') {
    throw new BackendUnavailableError('webgpu', "backend 'webgpu' is not available: the `webgpu` package has no create()");
  }
  Object.assign(globalThis, mod.globals ?? {});
  const nav = (globalThis as { navigator?: object }).navigator ?? {};
  Object.defineProperty(globalThis, 'navigator', { value: { ...nav, gpu: mod.create([]) }, configurable: true });
}

const LOADERS: Record<BackendName, Loader> = {
  cpu: { tfName: 'cpu', pkg: null, install: 'it ships with @tensorflow/tfjs' },
  wasm: { tfName: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', install: 'install @tensorflow/tfjs-backend-wasm' },
  tensorflow: {
    tfName: 'tensorflow',
    pkg: '@tensorflow/tfjs-node',
    install: 'install it with `npm install @tensorflow/tfjs-node@4.22.0` (its install script downloads libtensorflow)',
  },
  'tensorflow-gpu': {
    tfName: 'tensorflow',
    pkg: '@tensorflow/tfjs-node-gpu',
    install: 'install it with `npm install @tensorflow/tfjs-node-gpu@4.22.0` on a machine with CUDA',
  },
  webgpu: { tfName: 'webgpu', pkg: '@tensorflow/tfjs-backend-webgpu', install: WEBGPU_INSTALL, prepare: provideNavigatorGpu },
  fast: { tfName: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', install: 'install @tensorflow/tfjs-backend-wasm and run `npm run build` (the fast kernels)' },
  native: { tfName: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', install: 'install @tensorflow/tfjs-backend-wasm and run `npm run build` (the native kernels)' },
};

function fastKernels(name: 'fast' | 'native'): FastKernels {
  try {
    return name === 'fast' ? loadFastKernels() : loadNativeKernels();
  } catch (err) {
    if (err instanceof FastKernelsUnavailableError) throw new BackendUnavailableError(name, `backend '${name}' is not available: ${err.message}`);
    throw err;
  }
}

async function activate(name: BackendName): Promise<ComputeBackend> {
  const loader = LOADERS[name];
  // the kernels first: a native build that is missing fails before tfjs is touched
  const fast = isFastPath(name) ? fastKernels(name) : undefined;
  await loader.prepare?.();
  if (loader.pkg !== null) await importOptional(loader.pkg, name, loader.install);
  let ok = false;
  try {
    ok = await tf.setBackend(loader.tfName);
    await tf.ready();
  } catch (err) {
    throw new BackendUnavailableError(name, `backend '${name}' failed to initialise (${firstLine(err)}); ${loader.install}`);
  }
  if (!ok || tf.getBackend() !== loader.tfName) {
    throw new BackendUnavailableError(name, `backend '${name}' failed to initialise; ${loader.install}`);
  }
  const versions = { ...(tf.version as Record<string, string>) };
  return fast !== undefined ? { name, tf, versions, fast } : { name, tf, versions };
}

/**
 * The order backends are tried in: an explicit backend alone; `gpu: true` the GPU backends; on CPU
 * (`gpu: false`, and `auto` after tensorflow-gpu) the fast path first when it fits the spec (its
 * native kernels, then its wasm ones), then tfjs.
 */
export function candidateBackends(request: BackendRequest): readonly BackendName[] {
  if (request.backend !== null) return [request.backend];
  if (request.gpu === true) return ['tensorflow-gpu', 'webgpu'];
  const fast: readonly BackendName[] = request.fastFits === true ? ['native', 'fast'] : [];
  if (request.gpu === false) return [...fast, 'wasm', 'cpu'];
  return ['tensorflow-gpu', ...fast, 'tensorflow', 'wasm', 'cpu'];
}

/**
 * The compute path a backend means, as run headers and provenance name it: `fast` or `native`
 * (gymlab's own kernels, wasm or native) or `tfjs-<backend>` (TensorFlow.js on that backend).
 */
export function computePath(name: BackendName): string {
  return isFastPath(name) ? name : `tfjs-${name}`;
}

/**
 * Initialises the backend the request names. An explicit backend, or `gpu: true`, fails with
 * one `BackendUnavailableError` line when it can't be had; otherwise the next candidate is tried
 * (`native` whose kernels are not built falls back to `fast`, `fast` to wasm, then cpu).
 */
export async function initBackend(request: BackendRequest): Promise<ComputeBackend> {
  const candidates = candidateBackends(request);
  const errors: BackendUnavailableError[] = [];
  for (const name of candidates) {
    try {
      return await activate(name);
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  const what = request.gpu === true ? 'no GPU backend is available' : 'no backend is available';
  throw new BackendUnavailableError(candidates[0], `${what}: ${errors.map((e) => e.message).join('; ')}`);
}
