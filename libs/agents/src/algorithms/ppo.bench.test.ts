import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../registry.js';

const SPEC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json', import.meta.url));

describe('PPO speed (ppo_cartpole: 256 x 4 envs, minibatch 128, 15 epochs, 64-64 tanh, separate Adam)', () => {
  it('trains every 256 x 4 frames with 15 x 8 optimizer steps; reports update time and act() latency (wasm)', async () => {
    const b = await initBackend({ gpu: false, backend: 'wasm' });
    const spec = loadSpec(SPEC, 'ppo_cartpole');
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed: 1, backend: b, devChecks: false });
    let obs = env.reset({ seed: 0 });
    const actTimes: number[] = [];
    const updTimes: number[] = [];
    const steps: number[] = [];
    for (let t = 0; t < 256 * 3; t++) {
      const t0 = performance.now();
      const action = agent.act(obs, 'train');
      actTimes.push(performance.now() - t0);
      const s = env.step(action);
      const t1 = performance.now();
      const st = agent.update({ obs, action, reward: s.reward, nextObs: s.nextObs, terminated: s.terminated, truncated: s.truncated }, (t + 1) * 4);
      if (st) {
        updTimes.push(performance.now() - t1);
        steps.push(st.optSteps);
      }
      obs = s.obs;
    }
    actTimes.sort((x, y) => x - y);
    const median = actTimes[actTimes.length >> 1];
    console.log(`PPO update (wasm): ${updTimes.map((x) => x.toFixed(0)).join(', ')} ms; act(4 rows) median ${(median * 1000).toFixed(0)} us`);
    expect(steps).toEqual([120, 120, 120]);
    agent.dispose();
  });
});
