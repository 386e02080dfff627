#!/usr/bin/env node
// One Batch Renormalization layer of the fast path (FastBatchRenorm) against the Linear
// it follows (a one-layer FastMlp, WebAssembly SIMD), at CrossQ's joint batch: forward in training
// mode (statistics, clipping, running statistics) then backward, CPU microseconds per pass, for
// widths 256 and 1024 (`--rows`, default 512 = 2 x batch 256). Prints one JSON line per width: the
// share of the norm in the pair says whether a wasm kernel for it would pay.
import { benchCli, median, timed } from './cli.mjs';

const OPTIONS = { rows: { type: 'string', default: '512' }, repeat: { type: 'string', default: '3' } };
const cli = benchCli('batch_renorm_layer.mjs', 'usage: batch_renorm_layer.mjs [--rows 512] [--repeat 3]');
const args = cli.parse(OPTIONS);
const rows = cli.int(args, 'rows', 1);
const repeat = cli.int(args, 'repeat', 1);
const { FastBatchRenorm } = await cli.importLib('@gymlab/agents');
const { FastMlp, loadFastKernels } = await cli.importLib('@gymlab/backends');
const kernels = loadFastKernels();

for (const width of [256, 1024]) {
  let s = 1;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const brn = new FastBatchRenorm(kernels, width, { eps: 0.001, momentum: 0.01, rMax: 3, dMax: 5, warmupSteps: 5000 }, 'relu', rows);
  brn.step = 2500;
  const x = Float32Array.from({ length: rows * width }, rand);
  const affine = new Float32Array(2 * width).fill(1, 0, width);
  const out = new Float32Array(rows * width);
  const dOut = Float32Array.from({ length: rows * width }, rand);
  const affineGrad = new Float32Array(2 * width);
  const dx = new Float32Array(rows * width);
  const norm = () => {
    brn.forward(x, rows, true, affine, out);
    brn.backward(dOut, rows, affine, affineGrad, dx);
  };
  const lin = new FastMlp(kernels, { inputSize: width, layers: [{ size: width, activation: 'linear' }], maxBatch: rows, init: (_l, i, o) => ({ weight: Float32Array.from({ length: i * o }, rand), bias: new Float32Array(o) }) });
  lin.input.set(x);
  lin.outputGrad.set(dOut);
  const linear = () => {
    lin.forward(rows);
    lin.backward(rows, true);
  };
  const n = width === 256 ? 100 : 10;
  const normUs = median(Array.from({ length: repeat }, () => timed(norm, n).cpu));
  const linearUs = median(Array.from({ length: repeat }, () => timed(linear, n).cpu));
  process.stdout.write(JSON.stringify({ width, rows, brn_fwd_bwd_us_cpu: Math.round(normUs), linear_fwd_bwd_us_cpu: Math.round(linearUs), brn_share: Math.round((100 * normUs) / (normUs + linearUs)) / 100 }) + '\n');
}
