// Env steps per second of gymlab's MuJoCo v5 ports (single env, uniform random actions, registered
// time limit, resets counted), next to Gymnasium's figure from ../shared/fixtures/mujoco/mujoco_summary.json
// (gym.make defaults, same protocol, MuJoCo 3.14.0 from Python, on this shared 2-core machine).
// Usage: npx tsc -b tsconfig.build.json && nice node tools/bench-mujoco-envs.mjs [seconds per env] [ids...]
import { readFileSync } from 'node:fs';
import { makeEnv, prepareEnv } from '../libs/envs/dist/index.js';
import { Rng } from '../libs/random/dist/index.js';

const seconds = Number(process.argv[2] ?? 3);
const summary = JSON.parse(readFileSync(new URL('../../shared/fixtures/mujoco/mujoco_summary.json', import.meta.url), 'utf8'));
const ids = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(summary).filter((k) => k.endsWith('-v5'));

// On a loaded machine the wall-clock rate falls with the load; the CPU-time rate (steps per second
// of this process's user + system time) much less, so both are printed.
console.log(`${'env'.padEnd(26)} ${'steps/s (wall)'.padStart(15)} ${'steps/s (CPU)'.padStart(14)} ${'Gymnasium steps/s'.padStart(18)}  ratio (CPU)`);
for (const id of ids) {
  await prepareEnv(id);
  const env = makeEnv(id);
  const rng = new Rng(0);
  env.reset({ seed: 0 });
  const step = () => {
    const [, , terminated, truncated] = env.step(env.actionSpace.sample(rng));
    if (terminated || truncated) env.reset();
  };
  for (let i = 0; i < 500; i++) step(); // warm-up
  let steps = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < 100; i++) step();
    steps += 100;
  }
  const rate = steps / ((performance.now() - t0) / 1000);
  const c = process.cpuUsage(c0);
  const cpuRate = steps / ((c.user + c.system) / 1e6);
  const theirs = summary[id].perf.steps_per_second;
  console.log(`${id.padEnd(26)} ${rate.toFixed(0).padStart(15)} ${cpuRate.toFixed(0).padStart(14)} ${theirs.toFixed(0).padStart(18)}  ${(cpuRate / theirs).toFixed(2)}`);
  env.close();
}
