/**
 * The fast path's kernels of each kind for parametrised tests: wasm always, native where the build
 * can make them. Whether it can is asked of the build script itself (`build-native.mjs --check`), so
 * a machine that should have the native kernels (x86-64, a C++ compiler, Node's headers) and has not
 * fails `nativeStatus`'s test instead of running the wasm tests alone.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadFastKernels, loadNativeKernels, type FastKernelKind, type FastKernels } from '../kernels.js';

const BUILD_NATIVE = fileURLToPath(new URL('../../../scripts/build-native.mjs', import.meta.url));

export interface NativeStatus {
  /** Why the build does not make the native kernels here (null: it does). */
  readonly obstacle: string | null;
  /** The loaded native kernels, or null. */
  readonly kernels: FastKernels | null;
  /** Why loading them failed, or null. */
  readonly error: string | null;
}

let status: NativeStatus | undefined;

export function nativeStatus(): NativeStatus {
  if (status !== undefined) return status;
  const obstacle = execFileSync(process.execPath, [BUILD_NATIVE, '--check'], { encoding: 'utf8' }).trim() || null;
  try {
    status = { obstacle, kernels: loadNativeKernels(), error: null };
  } catch (err) {
    status = { obstacle, kernels: null, error: err instanceof Error ? err.message : String(err) };
  }
  return status;
}

/** [kind, kernels] for each kind available here (`describe.each`). */
export function kernelKinds(): [FastKernelKind, FastKernels][] {
  const native = nativeStatus().kernels;
  return native === null ? [['wasm', loadFastKernels()]] : [['wasm', loadFastKernels()], ['native', native]];
}

/** The test title that states whether the native kernels run here. */
export function nativeStatusTitle(): string {
  const s = nativeStatus();
  if (s.obstacle !== null) return `native kernels are not built on this machine (${s.obstacle}): only the wasm kernels are tested`;
  return 'native kernels: this machine can build them (x86-64, a C++ compiler, Node headers), so they must load and are tested';
}
