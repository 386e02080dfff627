/** The fast path's backends in tests: `fast` (wasm kernels) everywhere, `native` where its kernels are built. */
import { initBackend, nativeKernelsAvailable, type ComputeBackend } from '@gymlab/backends';

/** fast, and native where it is built (@gymlab/backends' kernels.test.ts fails where it should be built and is not). */
export const FAST_PATH = ['fast', ...(nativeKernelsAvailable() ? (['native'] as const) : [])] as const;

export interface FastPathBackends {
  readonly fast: ComputeBackend;
  /** null where the native kernels are not built. */
  readonly native: ComputeBackend | null;
  /** tfjs-cpu, the autodiff reference. */
  readonly cpu: ComputeBackend;
}

export async function initFastPathBackends(): Promise<FastPathBackends> {
  return {
    fast: await initBackend({ gpu: false, backend: 'fast' }),
    native: FAST_PATH.length > 1 ? await initBackend({ gpu: false, backend: 'native' }) : null,
    cpu: await initBackend({ gpu: false, backend: 'cpu' }),
  };
}
