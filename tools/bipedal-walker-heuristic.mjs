#!/usr/bin/env node
// Gymnasium's BipedalWalkerHeuristics on gymlab's BipedalWalker-v3 (planck), with the protocol of
// ../shared/fixtures/box2d/box2d_summary.json: env.reset(seed=s) for s in 0..N-1, one episode each,
// first action zeros, TimeLimit 1600; prints our statistics next to Gymnasium's.
// Usage (after `npx tsc -b tsconfig.build.json`): node tools/bipedal-walker-heuristic.mjs [episodes=50] [hardcore]
import { readFileSync } from 'node:fs';
import { bipedalHeuristicEpisode, makeEnv } from '@gymlab/envs';

const episodes = Number(process.argv[2] ?? 50);
const hardcore = process.argv[3] === 'hardcore';
const summary = JSON.parse(readFileSync(new URL('../../shared/fixtures/box2d/box2d_summary.json', import.meta.url), 'utf8'))['BipedalWalker-v3'].heuristic;

const env = makeEnv('BipedalWalker-v3', hardcore ? { kwargs: { hardcore: true } } : {});
const returns = [];
const lengths = [];
let reachedEnd = 0;
let fell = 0;
let truncatedCount = 0;
const t0 = performance.now();
for (let seed = 0; seed < episodes; seed++) {
  const e = bipedalHeuristicEpisode(env, seed);
  returns.push(e.return);
  lengths.push(e.length);
  if (e.outcome === 'fell') fell += 1;
  else if (e.outcome === 'end') reachedEnd += 1;
  else truncatedCount += 1;
}
const seconds = (performance.now() - t0) / 1000;
const stats = (xs) => {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const sorted = [...xs].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { mean, std, median, min: sorted[0], max: sorted[n - 1] };
};
const fmt = (o) => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
console.log(`gymlab ${hardcore ? 'hardcore ' : ''}(${episodes} episodes, ${seconds.toFixed(1)} s)`);
console.log(`  return: ${fmt(stats(returns))}`);
console.log(`  length: ${fmt(stats(lengths))}`);
console.log(`  reached end ${(reachedEnd / episodes).toFixed(2)}, fell ${(fell / episodes).toFixed(2)}, truncated ${(truncatedCount / episodes).toFixed(2)}`);
console.log(`Gymnasium (${summary.episodes} episodes)`);
console.log(`  return: ${fmt(summary.return)}`);
console.log(`  length: ${fmt(summary.length)}`);
console.log(`  reached end ${summary.reached_end_fraction}, fell ${summary.fell_fraction}, truncated ${summary.truncated_fraction}`);
console.log(`  per seed (ours / Gymnasium): ${returns.slice(0, 10).map((r, i) => `${r.toFixed(0)}/${summary.returns[i].toFixed(0)}`).join(' ')}`);
