// Compiles the fast path's native kernels (native/fast-kernels.cc, AVX2 + FMA) into
// build/fast-kernels.node, an N-API addon, with the system C++ compiler and Node's own headers. Run
// by the workspace build (`npm run build`, which `npm ci` runs through `prepare`) and by vitest's
// global setup; skipped when the .node is newer than its source and this script.
//
// Native kernels are optional: off x86-64, without a C++ compiler or Node's headers, or when the
// compile fails, this prints ONE line saying they are not built and why, and exits 0 (the wasm
// kernels and everything else are unaffected; `backend: native` then says how to get them).
// `--check` prints why the addon would not be built (nothing when it would) and compiles nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './stale.mjs';

const src = fileURLToPath(new URL('../native/fast-kernels.cc', import.meta.url));
const out = fileURLToPath(new URL('../build/fast-kernels.node', import.meta.url));

/** The C++ compiler: $CXX is not read (no flags in environment variables); g++, then c++, then clang++. */
function compiler() {
  for (const cxx of ['g++', 'c++', 'clang++']) {
    try {
      execFileSync(cxx, ['--version'], { stdio: 'ignore' });
      return cxx;
    } catch {
      // next
    }
  }
  return null;
}

/** Why the addon cannot be built here, or null. Node's headers are at <prefix>/include/node. */
export function nativeBuildObstacle() {
  if (process.arch !== 'x64') return { reason: `the native kernels are x86-64 (AVX2/FMA) and this is ${process.arch}` };
  const headers = join(dirname(dirname(process.execPath)), 'include', 'node');
  if (!existsSync(join(headers, 'node_api.h'))) return { reason: `Node's headers are not at ${headers} (node_api.h)` };
  const cxx = compiler();
  if (cxx === null) return { reason: 'no C++ compiler (g++, c++ or clang++) on PATH' };
  return { reason: null, cxx, headers };
}

function notBuilt(why) {
  process.stdout.write(`build-native: native kernels are not built: ${why}; the fast path uses its wasm kernels\n`);
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const obstacle = nativeBuildObstacle();
  if (process.argv.includes('--check')) {
    if (obstacle.reason !== null) process.stdout.write(`${obstacle.reason}\n`);
  } else if (obstacle.reason !== null) {
    notBuilt(obstacle.reason);
  } else if (isStale(out, src, fileURLToPath(import.meta.url))) {
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    // Baseline x86-64 code: only the kernels use AVX2/FMA (target pragmas in the source), so the
    // addon loads on any x86-64 CPU and says when the kernels cannot run there.
    const flags = ['-O3', '-std=c++17', '-ffp-contract=off', '-fno-exceptions', '-fvisibility=hidden', '-shared', '-fPIC', '-DNAPI_VERSION=8', '-DNODE_GYP_MODULE_NAME=fast_kernels', `-I${obstacle.headers}`, src, '-o', tmp];
    try {
      execFileSync(obstacle.cxx, flags, { stdio: ['ignore', 'ignore', 'pipe'] });
      renameSync(tmp, out);
    } catch (err) {
      rmSync(tmp, { force: true });
      const stderr = err && typeof err === 'object' && 'stderr' in err && err.stderr ? String(err.stderr) : String(err);
      const first = stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr.split('\n')[0];
      notBuilt(`${obstacle.cxx} failed on ${src}: ${first.trim()}`);
    }
  }
}
