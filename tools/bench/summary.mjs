#!/usr/bin/env node
// Prints the comparison of tools/bench-ppo-cartpole.sh from the two sides' result files: one JSON
// line per run (either file may be "-" when that side was skipped). With several runs per side,
// the ratio is that of the median frames/s.
import { readFileSync } from 'node:fs';
import { median } from './cli.mjs';

const [torchFile, gymlabFile] = process.argv.slice(2);
const read = (f) =>
  f && f !== '-'
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l))
    : [];
const torchRuns = read(torchFile);
const gymlabRuns = read(gymlabFile);
const fmt = (x, d = 1) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));

const row = (name, r, runtime) =>
  `${name.padEnd(6)} ${String(r.frames).padStart(8)}  ${fmt(r.seconds, 2).padStart(8)}  ${fmt(r.fps).padStart(9)}  ${String(r.opt_steps).padStart(10)}  ${String(r.episodes).padStart(8)}  ${fmt(r.return_ma).padStart(14)}  ${runtime}`;
const lines = ['', 'side     frames   seconds   frames/s   opt_steps  episodes  return_ma(100)  runtime'];
for (const r of torchRuns) lines.push(row('torch', r, `PyTorch ${r.torch}, ${r.threads} thread`));
for (const r of gymlabRuns) lines.push(row('gymlab', r, `${r.compute ?? `tfjs ${r.backend}`} (tfjs ${r.versions?.tfjs ?? '?'}), Node ${r.node}`));
// Which BLAS torch ran (tools/bench/torch_blas.py): the reference (netlib) BLAS is no yardstick.
const blas = torchRuns.map((r) => r.blas).filter((b) => b !== undefined && b !== null);
const wellBuilt = blas.length === torchRuns.length && blas.every((b) => b.well_built);
if (blas.length > 0) {
  const b = blas[0];
  const gflops = blas.map((x) => x.matmul256_gflops).join(', ');
  lines.push('', `torch BLAS: ${b.config ?? b.kind} (${b.libraries.join(', ') || 'no BLAS library mapped'}); 256x256 matmul ${gflops} GFLOP/s on ${b.threads} thread(s)`);
}
if (torchRuns.length > 0 && !wellBuilt) {
  lines.push('WARNING: PyTorch ran on the netlib reference BLAS (or one that cannot be told): NOT a well-built yardstick; install libopenblas0-pthread (apt-get install libopenblas0-pthread)');
}
if (torchRuns.length > 0) {
  lines.push(
    `(opt_steps as each side counts them; the PyTorch side counts 2 per minibatch update, as SLM Lab does with separate actor and critic optimizers: ${torchRuns[0].minibatch_updates} minibatch updates per run)`,
  );
}
if (torchRuns.length > 0 && gymlabRuns.length > 0) {
  const t = median(torchRuns.map((r) => r.fps));
  const g = median(gymlabRuns.map((r) => r.fps));
  const of = torchRuns.length > 1 || gymlabRuns.length > 1 ? ` (medians of ${torchRuns.length} and ${gymlabRuns.length} runs)` : '';
  lines.push('', `frames/s: torch ${fmt(t)}, gymlab ${fmt(g)}${of}`);
  const yardstick = wellBuilt ? `torch on ${blas[0].kind}, a well-built yardstick` : 'torch NOT on a well-built BLAS: not a yardstick';
  lines.push(`ratio gymlab/torch frames/s: ${(g / t).toFixed(3)}  (torch is ${(t / g).toFixed(2)}x gymlab; ${yardstick})`);
}
process.stdout.write(lines.join('\n') + '\n');
