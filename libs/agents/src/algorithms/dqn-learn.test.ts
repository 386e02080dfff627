/**
 * Learning thresholds: DQN-family agents on CartPole-v1 (4 envs, wasm) must reach a mean return of
 * 100 over the last 20 episodes within a frame budget that runs in well under 60 s. The loop is
 * the Session's in miniature: act, step the vector env, hand the transitions back.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { createAgent } from '../registry.js';

type Obj = Record<string, unknown>;

/** A small, fast CartPole DQN: 64-64 relu, Adam 1e-3, one optimizer step per vector step, Boltzmann exploration. */
function learnSpec(name: string, memory: Obj): Spec {
  return {
    name: `${name}_cartpole_learn`,
    agent: {
      name,
      algorithm: {
        name,
        action_pdtype: 'Categorical',
        action_policy: 'boltzmann',
        explore_var_spec: { name: 'linear_decay', start_val: 1, end_val: 0.05, start_step: 0, end_step: 8000, frequency: 60 },
        gamma: 0.99,
        training_batch_iter: 1,
        training_iter: 1,
        training_frequency: 1,
        training_start_step: 256,
      },
      memory: { batch_size: 64, max_size: 20000, use_cer: true, alpha: 0.6, epsilon: 1e-4, ...memory },
      net: {
        type: 'MLPNet',
        shared: false,
        hid_layers: [64, 64],
        hid_layers_activation: 'relu',
        out_layer_activation: null,
        init_fn: null,
        clip_grad_val: 10,
        loss_spec: { name: 'SmoothL1Loss' },
        optim_spec: { name: 'Adam', lr: 0.001 },
        actor_optim_spec: null,
        critic_optim_spec: null,
        use_same_optim: false,
        lr_scheduler_spec: null,
        update_type: 'replace',
        update_frequency: 500,
        polyak_coef: 0,
        gpu: false,
        backend: 'wasm',
        normalize: false,
        batch_norm: false,
        conv_hid_layers: null,
        fc_hid_layers: null,
      },
    },
    env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 20000, normalize_obs: false, normalize_reward: false },
    meta: {},
    search: null,
  } as unknown as Spec;
}

async function learn(spec: Spec, seed: number, maxFrames: number): Promise<{ best: number; frames: number; episodes: number }> {
  const backend = await initBackend({ gpu: false, backend: 'wasm' });
  const env = makeVectorEnv('CartPole-v1', 4);
  const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed, backend, devChecks: false });
  const returns: number[] = [];
  let obs = env.reset({ seed });
  let frame = 0;
  let best = -Infinity;
  try {
    while (frame < maxFrames) {
      const action = agent.act(obs, 'train');
      const s = env.step(action);
      frame += env.numEnvs;
      agent.update({ obs, action, reward: s.reward, nextObs: s.nextObs, terminated: s.terminated, truncated: s.truncated }, frame);
      for (const f of s.finished) {
        returns.push(f.return);
        if (returns.length >= 20) best = Math.max(best, returns.slice(-20).reduce((a, b) => a + b, 0) / 20);
      }
      obs = s.obs;
      if (best >= 100) break;
    }
  } finally {
    agent.dispose();
    env.close();
  }
  return { best, frames: frame, episodes: returns.length };
}

describe('DQN family learns CartPole-v1', () => {
  it('DQN + Replay reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DQN', { name: 'Replay' }), 1, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });

  it('DoubleDQN + PrioritizedReplay reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DoubleDQN', { name: 'PrioritizedReplay' }), 2, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });
});
