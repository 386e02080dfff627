/**
 * Learning threshold: REINFORCE with SLM Lab's reinforce_cartpole hyperparameters (128-128 tanh,
 * orthogonal init, Adam 0.002, clip 0.5, centred returns, gamma 0.99, entropy 0.001 -> 0 over 200k
 * frames, batches of 512 x 4 steps) on CartPole-v1 (4 envs, wasm) must reach a mean return of 100
 * over 20 consecutive episodes within 40k frames (seed 1 reaches it at 9.3k frames; seeds 2-6
 * between 11k and 34k).
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
      name: 'Reinforce',
      algorithm: {
        name: 'Reinforce',
        action_pdtype: 'default',
        action_policy: 'default',
        center_return: true,
        explore_var_spec: null,
        gamma: 0.99,
        entropy_coef_spec: { name: 'linear_decay', start_val: 0.001, end_val: 0.0, start_step: 0, end_step: 200000 },
        training_frequency: 512,
      },
      memory: { name: 'OnPolicyBatchReplay' },
      net: {
        type: 'MLPNet',
        hid_layers: [128, 128],
        hid_layers_activation: 'tanh',
        init_fn: 'orthogonal_',
        clip_grad_val: 0.5,
        loss_spec: { name: 'MSELoss' },
        optim_spec: { name: 'Adam', lr: 0.002 },
        backend: 'wasm',
      },
    },
    env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 40000 },
    meta: { distributed: false, eval_frequency: 500, max_session: 1, max_trial: 1, log_frequency: 500 },
  },
  'reinforce_cartpole_learn',
);

describe('Reinforce learns CartPole-v1', () => {
  it('reaches a 20-episode mean return >= 100 within 40k frames', async () => {
    const backend = await initBackend({ gpu: false, backend: 'wasm' });
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed: 1, backend, devChecks: false });
    try {
      const r = trainUntil(agent, env, { maxFrames: 40000, seed: 1, target: 100 });
      expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
    } finally {
      agent.dispose();
      env.close();
    }
  });
});
