// Gymnasium's heuristic controller on LunarLander-v3 and LunarLanderContinuous-v3 (planck), the full
// protocol of ../shared/fixtures/box2d/box2d_summary.json: env.reset(seed=s) for s in 0..199, one
// episode each. Prints return mean/std, length mean/std, landed and on-pad fractions beside
// Gymnasium's, with an interval for each (means and fractions: 2 standard errors over n episodes;
// the return's std: 4 sigma / sqrt(2n), twice normal theory's, for the crash tail), and whether
// ours is inside. Exit code 1 when one is outside. The CI test runs the first 60 seeds.
// Usage: npx tsc -b tsconfig.build.json && node tools/lunar-lander-heuristic.mjs [episodes]
import { readFileSync } from 'node:fs';
import { makeEnv, playHeuristicEpisode } from '../libs/envs/dist/index.js';

const n = Number(process.argv[2] ?? 200);
const summary = JSON.parse(readFileSync(new URL('../../shared/fixtures/box2d/box2d_summary.json', import.meta.url), 'utf8'));
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const std = (a) => Math.sqrt(mean(a.map((x) => (x - mean(a)) ** 2)));
let bad = 0;

for (const [id, continuous] of [['LunarLander-v3', false], ['LunarLanderContinuous-v3', true]]) {
  const gym = summary[id].heuristic;
  const env = makeEnv(id);
  const t0 = Date.now();
  const eps = Array.from({ length: n }, (_, s) => playHeuristicEpisode(env, s, continuous));
  const secs = (Date.now() - t0) / 1000;
  const R = eps.map((e) => e.return);
  const L = eps.map((e) => e.length);
  const gymR = mean(gym.returns.slice(0, n));
  const gymL = mean(gym.lengths.slice(0, n));
  const frac = (p) => 2 * Math.sqrt((p * (1 - p)) / n) + 1 / n;
  const rows = [
    ['return mean', mean(R), gymR, (2 * gym.return.std) / Math.sqrt(n)],
    ['return std', std(R), gym.return.std, gym.return.std * (2 / Math.sqrt(2 * n)) * 2],
    ['length mean', mean(L), gymL, (2 * gym.length.std) / Math.sqrt(n)],
    ['landed fraction', mean(eps.map((e) => +e.landed)), gym.landed_fraction, frac(gym.landed_fraction)],
    ['on-pad fraction', mean(eps.map((e) => +e.onPad)), gym.landed_on_pad_fraction, frac(gym.landed_on_pad_fraction)],
  ];
  console.log(`${id}: ${n} episodes (seeds 0-${n - 1}), ${secs.toFixed(1)} s`);
  for (const [name, ours, theirs, half] of rows) {
    const ok = Math.abs(ours - theirs) <= half;
    if (!ok) bad++;
    console.log(`  ${name.padEnd(16)} gymlab ${ours.toFixed(3).padStart(9)}  Gymnasium ${theirs.toFixed(3).padStart(9)} +/- ${half.toFixed(3).padStart(7)}  ${ok ? 'inside' : 'OUTSIDE'}`);
  }
}
process.exit(bad === 0 ? 0 : 1);
