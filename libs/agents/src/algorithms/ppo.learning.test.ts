import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../registry.js';

const SPEC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json', import.meta.url));

describe('PPO learns CartPole-v1 (SLM Lab ppo_cartpole hyperparameters, wasm)', () => {
  it('reaches a mean return >= 150 over the last 20 episodes within 80k frames', async () => {
    const backend = await initBackend({ gpu: false, backend: 'wasm' });
    const spec = loadSpec(SPEC, 'ppo_cartpole');
    const env = makeVectorEnv('CartPole-v1', spec.env.num_envs);
    const agent = createAgent({
      spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace,
      numEnvs: env.numEnvs, seed: 1, backend, devChecks: false,
    });
    const returns: number[] = [];
    const t0 = performance.now();
    let obs = env.reset({ seed: 1 });
    let frame = 0;
    let best = -Infinity;
    while (frame < 80_000) {
      const action = agent.act(obs, 'train');
      const s = env.step(action);
      frame += env.numEnvs;
      agent.update({ obs, action, reward: s.reward, nextObs: s.nextObs, terminated: s.terminated, truncated: s.truncated }, frame);
      for (const ep of s.finished) returns.push(ep.return);
      obs = s.obs;
      if (returns.length >= 20) {
        const recent = returns.slice(-20);
        best = Math.max(best, recent.reduce((x, y) => x + y, 0) / 20);
        if (best >= 150) break;
      }
    }
    console.log(`PPO CartPole: mean of last 20 episodes ${best.toFixed(1)} after ${frame} frames, ${returns.length} episodes, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    agent.dispose();
    expect(best).toBeGreaterThanOrEqual(150);
  }, 90_000);
});
