/**
 * Vitest global setup: builds the workspace (the fast path's wasm and native kernels when their
 * source changed, then `tsc -b tsconfig.build.json`, incremental: a few seconds when nothing changed) once before
 * any test runs. Tests import the libs from their sources, but a Trial forks the built session
 * worker and the CLI tests spawn the built bins; building first means no test runs code older than
 * the sources.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const tsc = fileURLToPath(new URL('./node_modules/typescript/bin/tsc', import.meta.url));
  try {
    execFileSync(process.execPath, ['libs/backends/scripts/build-wasm.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    // never fails: where the native kernels cannot be built it says so in one line (the tests say it too)
    execFileSync(process.execPath, ['libs/backends/scripts/build-native.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const out = (e.stdout?.toString() ?? '') + (e.stderr?.toString() ?? '');
    throw new Error(`the workspace build (tsc -b tsconfig.build.json) or the kernels' build failed before the tests:\n${out.slice(0, 4000)}`);
  }
}
