// Compiles the fast path's AssemblyScript kernels (assembly/fast-kernels.ts) to
// build/fast-kernels.wasm with WebAssembly SIMD. Run by the workspace build (`npm run build`, which
// `npm ci` runs through `prepare`) and by vitest's global setup; skipped when the .wasm is newer
// than its source. The .wasm is a build output (gitignored), never committed.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isStale } from './stale.mjs';

const src = fileURLToPath(new URL('../assembly/fast-kernels.ts', import.meta.url));
const out = fileURLToPath(new URL('../build/fast-kernels.wasm', import.meta.url));

if (isStale(out, src, fileURLToPath(import.meta.url))) {
  mkdirSync(fileURLToPath(new URL('../build/', import.meta.url)), { recursive: true });
  const asc = await import('assemblyscript/asc');
  const flags = ['-O3', '--runtime', 'stub', '--noAssert', '--importMemory', '--initialMemory', '1', '--use', 'abort=', '--enable', 'simd'];
  const { error, stderr } = await asc.main([src, '-o', out, ...flags]);
  if (error) {
    process.stderr.write(stderr.toString());
    process.stderr.write(`build-wasm: compiling ${src} failed: ${error.message}\n`);
    process.exit(1);
  }
}
