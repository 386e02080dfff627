#!/usr/bin/env node
// Env steps per second of BipedalWalker-v3 (planck) with uniform random actions, resets counted,
// single process: the protocol of Gymnasium's figure in ../shared/fixtures/box2d/box2d_summary.json.
// Usage (after `npx tsc -b tsconfig.build.json`): node tools/bench-bipedal-walker.mjs [steps=16384] [hardcore]
import { readFileSync } from 'node:fs';
import { Rng } from '@gymlab/random';
import { makeEnv } from '@gymlab/envs';

const steps = Number(process.argv[2] ?? 16384);
const hardcore = process.argv[3] === 'hardcore';
const gym = JSON.parse(readFileSync(new URL('../../shared/fixtures/box2d/box2d_summary.json', import.meta.url), 'utf8'))['BipedalWalker-v3'].perf;
const env = makeEnv('BipedalWalker-v3', hardcore ? { kwargs: { hardcore: true } } : {});
const rng = new Rng(0);
const run = (n) => {
  env.reset({ seed: 0 });
  let resets = 0;
  for (let i = 0; i < n; i++) {
    const [, , terminated, truncated] = env.step(env.actionSpace.sample(rng));
    if (terminated || truncated) {
      env.reset();
      resets += 1;
    }
  }
  return resets;
};
run(2000); // warm-up (JIT)
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const resets = run(steps);
const sps = steps / ((performance.now() - t0) / 1000);
const cpu = process.cpuUsage(cpu0);
const cpuSps = steps / ((cpu.user + cpu.system) / 1e6);
// per CPU second too: on a shared machine wall-clock time counts other processes' share
console.log(`gymlab BipedalWalker-v3${hardcore ? ' hardcore' : ''}: ${sps.toFixed(0)} steps/s wall, ${cpuSps.toFixed(0)} per CPU second (${steps} steps, ${resets} resets)`);
console.log(`Gymnasium 1.4.0 (pybox2d): ${gym.steps_per_second.toFixed(0)} steps/s (${gym.steps} steps; ${gym.protocol})`);
