#!/usr/bin/env node
// Prints the comparison of tools/bench-sac-pendulum.sh from the two sides' result files (one JSON
// line per run; "-" for a skipped side): medians over the runs of ms per update and frames/s, the
// gymlab/torch ratios, and gymlab's update GFLOP/s against the tfjs-wasm 256x256 matmul's.
import { readFileSync } from 'node:fs';
import { median } from './cli.mjs';

const read = (f) => (f && f !== '-' ? readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)) : []);
const [torch, gymlab] = process.argv.slice(2).map(read);
const med = (runs, f) => (runs.length === 0 || runs.some((r) => f(r) === null || f(r) === undefined) ? null : median(runs.map(f)));
const fmt = (x, d = 2) => (x === null ? 'n/a' : Number(x).toFixed(d));
const out = [''];
for (const r of torch) out.push(`torch   update ${fmt(r.update_ms_cpu)} ms CPU (${fmt(r.update_ms_wall)} wall)  frames/s ${fmt(r.fps, 1)}  PyTorch ${r.torch}, BLAS ${r.blas}, ${r.threads} thread`);
for (const r of gymlab) {
  const s = r.session;
  out.push(
    `gymlab  update ${fmt(r.update_ms_cpu)} ms CPU (${fmt(r.update_ms_wall)} wall), ${fmt(r.update_gflops_cpu)} GFLOP/s of ${fmt(r.update_mflop, 1)} MFLOP  frames/s ${s ? fmt(s.fps, 1) : 'n/a'}${s ? ` (${fmt(s.cpu_seconds, 1)} s CPU)` : ''}  ` +
      `tfjs-wasm matmul 256 ${fmt(r.wasm_matmul256_gflops_cpu)} GFLOP/s  ${r.algorithm ?? 'SoftActorCritic'}, backend ${r.backend}, Node ${r.node}`,
  );
}
const gu = med(gymlab, (r) => r.update_ms_cpu);
const tu = med(torch, (r) => r.update_ms_cpu);
const gf = med(gymlab, (r) => r.session?.fps);
const tf = med(torch, (r) => r.fps);
if (gymlab.length > 0) {
  const share = median(gymlab.map((r) => r.update_gflops_cpu / r.wasm_matmul256_gflops_cpu));
  out.push('', `gymlab ${gymlab[0].algorithm ?? 'SAC'} update GFLOP/s / tfjs-wasm 256x256 matmul GFLOP/s (same run, CPU time): ${fmt(100 * share, 0)}% (target >= 60%)`);
}
if (gu !== null && tu !== null) out.push(`ms per update (CPU, medians of ${torch.length} and ${gymlab.length}): torch ${fmt(tu)}, gymlab ${fmt(gu)}; gymlab speed / torch speed ${fmt(tu / gu, 3)}`);
if (gf !== null && tf !== null) out.push(`frames/s (wall, medians): torch ${fmt(tf, 1)}, gymlab ${fmt(gf, 1)}; ratio gymlab/torch ${fmt(gf / tf, 3)}`);
process.stdout.write(out.join('\n') + '\n');
