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

/** Frames per CPU second of the side's process (what the machine's load does not inflate as much as wall time). */
const cpuFps = (r) => (r.cpu_seconds ? r.frames / r.cpu_seconds : null);
const row = (name, r, runtime) =>
  `${name.padEnd(6)} ${String(r.frames).padStart(8)}  ${fmt(r.seconds, 2).padStart(8)}  ${fmt(r.fps).padStart(9)}  ${fmt(r.cpu_seconds, 2).padStart(8)}  ${fmt(cpuFps(r)).padStart(9)}  ${String(r.opt_steps).padStart(10)}  ${String(r.episodes).padStart(8)}  ${fmt(r.return_ma).padStart(14)}  ${runtime}`;
const lines = ['', 'side     frames   seconds   frames/s   cpu s  frames/cpu-s   opt_steps  episodes  return_ma(100)  runtime'];
for (const r of torchRuns) lines.push(row('torch', r, `PyTorch ${r.torch}, ${r.threads} thread, BLAS ${r.blas ?? '?'}`));
for (const r of gymlabRuns) lines.push(row('gymlab', r, `${r.backend === 'fast' || r.backend === 'native' ? `fast CPU path (${r.backend === 'native' ? 'native' : 'wasm'} kernels)` : `tfjs ${r.backend}`} (tfjs ${r.versions?.tfjs ?? '?'}), Node ${r.node}`));
if (torchRuns.length > 0 && torchRuns[0].minibatch_updates !== undefined) {
  lines.push(
    `(opt_steps as each side counts them; the PyTorch side counts 2 per minibatch update, as SLM Lab does with separate actor and critic optimizers: ${torchRuns[0].minibatch_updates} minibatch updates per run)`,
  );
}
if (torchRuns.length > 0 && gymlabRuns.length > 0) {
  const t = median(torchRuns.map((r) => r.fps));
  const g = median(gymlabRuns.map((r) => r.fps));
  const of = torchRuns.length > 1 || gymlabRuns.length > 1 ? ` (medians of ${torchRuns.length} and ${gymlabRuns.length} runs)` : '';
  lines.push('', `frames/s: torch ${fmt(t)}, gymlab ${fmt(g)}${of}`);
  lines.push(`ratio gymlab/torch frames/s: ${(g / t).toFixed(3)}  (torch is ${(t / g).toFixed(2)}x gymlab)`);
  if (torchRuns.every(cpuFps) && gymlabRuns.every(cpuFps)) {
    const tc = median(torchRuns.map(cpuFps));
    const gc = median(gymlabRuns.map(cpuFps));
    lines.push(`frames per CPU second: torch ${fmt(tc)}, gymlab ${fmt(gc)}; ratio ${(gc / tc).toFixed(3)} (gymlab's CPU includes its process setup)`);
  }
  lines.push(`torch BLAS: ${torchRuns[0].blas ?? '?'}`);
}
process.stdout.write(lines.join('\n') + '\n');
