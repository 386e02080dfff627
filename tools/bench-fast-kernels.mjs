#!/usr/bin/env node
// The fast path's gemm on its two kernel builds, side by side in one process: GFLOP/s of
// `C = op(A) B` for the wasm kernels (WebAssembly SIMD, `backend: fast`) and the native ones (AVX2 +
// FMA, `backend: native`), on the shapes the fast path's nets run:
//   256x256x256 (a 256-256 layer at batch 256), 512x256x256 (CrossQ's joint batch), the A^T B form
//   at 256^3 (a weight gradient), 256x4x256 (a first layer on a 4-dim observation), 256x256x1 (a
//   critic's output layer), and any `--shape MxKxN[t]` (t: the A^T B form), repeatable.
// Each shape alternates wasm and native `--rounds` times (so load changes hit both sides) and
// reports the median of each side's rounds and the ratio.
//
//   node tools/bench-fast-kernels.mjs [--rounds 5] [--flop 2e9] [--shape 128x64x64t ...]
//
// Prints a table and one JSON line per shape; GFLOP/s from this process's CPU time (user +
// system): the machine is shared, so CPU time is the figure to compare. Needs the libs built
// (npm run build); without the native kernels it says why and exits 3.
import { benchCli, median, seededUniform as stream, timed } from './bench/cli.mjs';

const USAGE = 'usage: bench-fast-kernels.mjs [--rounds N] [--flop F (per side and round)] [--shape MxKxN[t] ...]';
const cli = benchCli('bench-fast-kernels', USAGE);
const args = cli.parse({ rounds: { type: 'string', default: '5' }, flop: { type: 'string', default: '2e9' }, shape: { type: 'string', multiple: true } });
const rounds = cli.int(args, 'rounds', 1);
const flopBudget = Number(args.flop);
if (!(flopBudget >= 1e6)) cli.fail(`--flop must be a number >= 1e6, got "${args.flop}"`);

const DEFAULT_SHAPES = ['256x256x256', '512x256x256', '256x256x256t', '256x4x256', '256x256x1'];
const shapes = (args.shape ?? DEFAULT_SHAPES).map((s) => {
  const m = /^(\d+)x(\d+)x(\d+)(t?)$/.exec(s);
  if (m === null || [m[1], m[2], m[3]].some((v) => Number(v) < 1 || Number(v) > 4096)) cli.fail(`--shape must be MxKxN or MxKxNt (1..4096 each), got "${s}"`);
  return { M: Number(m[1]), K: Number(m[2]), N: Number(m[3]), transA: m[4] === 't', name: s };
});

const { FastArena, loadFastKernels, loadNativeKernels } = await cli.importLib('@gymlab/backends');
let native;
try {
  native = loadNativeKernels();
} catch (err) {
  cli.fail(err.message, 3);
}
const kinds = [
  ['wasm', loadFastKernels()],
  ['native', native],
];

/** One arena per kind holding A, B and C of the shape; a function running the product once. */
function setUp(kernels, { M, K, N, transA }) {
  const next = stream(M * 7919 + K * 31 + N);
  const arena = new FastArena(kernels);
  const [a, b, c] = [arena.alloc(M * K), arena.alloc(K * N), arena.alloc(M * N)];
  arena.commit();
  arena.f32(a, M * K).set(Float32Array.from({ length: M * K }, next));
  arena.f32(b, K * N).set(Float32Array.from({ length: K * N }, next));
  const [sm, sk] = transA ? [4, 4 * M] : [4 * K, 4];
  const k = arena.k;
  return () => k.gemm(a, sm, sk, b, c, M, K, N, 0, 0, 0);
}

const rows = [];
for (const shape of shapes) {
  const flop = 2 * shape.M * shape.K * shape.N;
  const reps = Math.max(20, Math.round(flopBudget / flop));
  const runs = kinds.map(([, kernels]) => setUp(kernels, shape));
  const gf = kinds.map(() => []);
  for (let r = 0; r < rounds; r++) {
    runs.forEach((run, i) => gf[i].push(flop / timed(run, reps).cpu / 1e3));
  }
  const [wasm, nat] = gf.map((xs) => Math.round(median(xs) * 10) / 10);
  const row = { shape: shape.name, form: shape.transA ? 'A^T B' : 'A B', reps, rounds, wasm_gflops: wasm, native_gflops: nat, ratio: Math.round((nat / wasm) * 100) / 100 };
  rows.push(row);
}
const load = (await import('node:os')).loadavg().map((x) => x.toFixed(2));
process.stdout.write(`fast-path gemm, GFLOP/s of CPU time (median of ${rounds} alternating rounds; load average ${load.join(' ')}):\n`);
process.stdout.write('shape          form    wasm  native  native/wasm\n');
for (const r of rows) process.stdout.write(`${r.shape.padEnd(14)} ${r.form.padEnd(6)} ${String(r.wasm_gflops).padStart(5)} ${String(r.native_gflops).padStart(7)} ${String(r.ratio).padStart(12)}\n`);
for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
