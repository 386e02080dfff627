/**
 * Learning threshold: discrete CrossQ (crossq_classic.yaml's shape, 64-unit nets, LazyBatchRenorm1d
 * critics) on CartPole-v1 (4 envs) must reach a mean return of 100 over 10 episodes within
 * 5k frames, on tfjs-wasm and on the fast path. Measured (seed 1, wasm): 100 after 3.1k frames
 * (about 20 s of CPU), 150 after 4.1k, 200 after 5.1k (34 s).
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { resolveSpec } from '@gymlab/spec';
import { agentFor, trainUntil } from '../test-utils/train.js';

const brn = { LazyBatchRenorm1d: { momentum: 0.01, eps: 0.001, warmup_steps: 1000 } };
const common = { hid_layers_activation: 'relu', clip_grad_val: null, loss_spec: { name: 'MSELoss' }, optim_spec: { name: 'Adam', lr: 0.001 } };
const criticArc = {
  modules: { body: { Sequential: [{ LazyLinear: { out_features: 64 } }, brn, { ReLU: null }, { LazyLinear: { out_features: 64 } }, brn, { ReLU: null }] } },
  graph: { input: 'x', modules: { body: ['x'] }, output: 'body' },
};

const agentSpec = {
  name: 'CrossQ',
  algorithm: { name: 'CrossQ', action_pdtype: 'Categorical', action_policy: 'default', gamma: 0.99, training_iter: 1, training_frequency: 1, training_start_step: 500, policy_delay: 1, log_alpha_max: 2.0 },
  memory: { name: 'Replay', batch_size: 64, max_size: 50000, use_cer: false },
  net: { type: 'MLPNet', hid_layers: [64, 64], ...common },
  critic_net: { type: 'TorchArcNet', arc: criticArc, ...common },
};
const meta = { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 };

describe('CrossQ learns', () => {
  it.each(['wasm', 'fast'] as const)('discrete CrossQ on CartPole-v1 reaches a 10-episode mean return >= 100 within 5k frames (%s)', async (name) => {
    const spec = resolveSpec({ agent: { ...agentSpec, net: { ...agentSpec.net, backend: name } }, env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 5000 }, meta }, 'crossq_cartpole_learn');
    const backend = await initBackend({ gpu: false, backend: name });
    const env = makeVectorEnv('CartPole-v1', 4);
    const agent = agentFor(backend, spec, env, 1, false);
    const r = trainUntil(agent, env, { maxFrames: 5000, seed: 1, target: 100, window: 10 });
    agent.dispose();
    env.close();
    expect(r.best, `best 10-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
    // about 20 s of cpu alone; the timeout's margin is for a loaded machine
  }, 150_000);
});
