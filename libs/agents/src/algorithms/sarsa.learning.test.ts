/**
 * Learning threshold: SARSA with SLM Lab's sarsa_epsilon_greedy_cartpole hyperparameters (128 tanh,
 * RMSprop 0.0087, clip 0.344, epsilon 1 -> 0.055 over 10k frames, batches of 32 x 4 steps) on
 * CartPole-v1 (4 envs, wasm) must reach a mean return of 150 over 20 consecutive episodes within
 * 40k frames (seeds 1-6 reach it by 18.3k frames; SLM Lab runs 200k frames).
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { resolveSpec } from '@gymlab/spec';
import { createAgent } from '../registry.js';
import { trainUntil } from '../test-utils/train.js';

const spec = resolveSpec(
  {
    agent: {
      name: 'SARSA',
      algorithm: {
        name: 'SARSA',
        action_pdtype: 'Argmax',
        action_policy: 'epsilon_greedy',
        explore_var_spec: { name: 'linear_decay', start_val: 1.0, end_val: 0.055, start_step: 0, end_step: 10000 },
        gamma: 0.99,
        training_frequency: 32,
      },
      memory: { name: 'OnPolicyBatchReplay' },
      net: {
        type: 'MLPNet',
        hid_layers: [128],
        hid_layers_activation: 'tanh',
        clip_grad_val: 0.344,
        loss_spec: { name: 'MSELoss' },
        optim_spec: { name: 'RMSprop', lr: 0.0087 },
        backend: 'wasm',
      },
    },
    env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 40000 },
    meta: { distributed: false, eval_frequency: 500, max_trial: 1, max_session: 1, log_frequency: 500 },
  },
  'sarsa_cartpole_learn',
);

describe('SARSA learns CartPole-v1', () => {
  it('reaches a 20-episode mean return >= 150 within 40k frames', async () => {
    const backend = await initBackend({ gpu: false, backend: 'wasm' });
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed: 1, backend, devChecks: false });
    try {
      const r = trainUntil(agent, env, { maxFrames: 40000, seed: 1, target: 150 });
      expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(150);
    } finally {
      agent.dispose();
      env.close();
    }
  });
});
