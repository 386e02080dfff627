/**
 * Vitest global setup: builds the workspace (`tsc -b tsconfig.build.json`, incremental: a few
 * seconds when nothing changed) once before any test runs. Tests import the libs from their
 * sources, but a Trial forks the built session worker and the CLI tests spawn the built bins;
 * building first means no test runs code older than the sources.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const tsc = fileURLToPath(new URL('./node_modules/typescript/bin/tsc', import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  } catch (err) {
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`the workspace build (tsc -b tsconfig.build.json) failed before the tests:\n${out.slice(0, 4000)}`);
  }
}
