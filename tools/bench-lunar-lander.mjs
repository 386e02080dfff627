// Env steps per second of LunarLander-v3 / LunarLanderContinuous-v3 (planck), single env, uniform
// random actions, makeEnv defaults (TimeLimit 1000), resets counted: the protocol of Gymnasium's
// figure in ../shared/fixtures/box2d/box2d_summary.json, printed beside it.
// Usage: npx tsc -b tsconfig.build.json && node tools/bench-lunar-lander.mjs [steps]
import { readFileSync } from 'node:fs';
import { Rng } from '../libs/random/dist/index.js';
import { makeEnv } from '../libs/envs/dist/index.js';

const steps = Number(process.argv[2] ?? 20000);
const summary = JSON.parse(readFileSync(new URL('../../shared/fixtures/box2d/box2d_summary.json', import.meta.url), 'utf8'));

for (const id of ['LunarLander-v3', 'LunarLanderContinuous-v3']) {
  const env = makeEnv(id);
  const rng = new Rng(0);
  const run = (n) => {
    env.reset({ seed: 0 });
    for (let t = 0; t < n; t++) {
      const [, , terminated, truncated] = env.step(env.actionSpace.sample(rng));
      if (terminated || truncated) env.reset();
    }
  };
  run(2000); // warm-up
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  run(steps);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  // On a loaded machine the wall-clock rate falls with the load; the rate per CPU-second of this
  // process (user + system) much less, so both are printed.
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const gym = summary[id].perf.steps_per_second;
  console.log(
    `${id.padEnd(26)} gymlab ${(steps / s).toFixed(0).padStart(7)} steps/s wall, ${(steps / cpu).toFixed(0).padStart(7)} per CPU-second ` +
      `(${((cpu / steps) * 1e6).toFixed(0)} us CPU/step)   Gymnasium ${gym.toFixed(0).padStart(7)} steps/s   (${steps} steps, ${s.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU)`,
  );
}
