/**
 * Learning thresholds: DQN-family agents on CartPole-v1 (4 envs, wasm; one on the fast path) must reach a mean return of
 * 100 over the last 20 episodes within a frame budget that runs in well under 60 s. The loop is
 * the Session's in miniature: act, step the vector env, hand the transitions back.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import type { Spec } from '@gymlab/spec';
import { createAgent } from '../registry.js';
import { dqnSpec, withName } from '../test-utils/dqn-spec.js';
import { trainUntil } from '../test-utils/train.js';

type Obj = Record<string, unknown>;

/** A small, fast CartPole DQN: 64-64 relu, Adam 1e-3, one optimizer step per vector step, Boltzmann exploration. */
function learnSpec(name: string, memory: Obj, net: Obj = {}): Spec {
  const spec = dqnSpec({
    algorithm: {
      explore_var_spec: { name: 'linear_decay', start_val: 1, end_val: 0.05, start_step: 0, end_step: 8000, frequency: 60 },
      training_batch_iter: 1,
      training_iter: 1,
      training_start_step: 256,
    },
    memory: { batch_size: 64, max_size: 20000, alpha: 0.6, epsilon: 1e-4, ...memory },
    net: { hid_layers: [64, 64], hid_layers_activation: 'relu', clip_grad_val: 10, optim_spec: { name: 'Adam', lr: 0.001 }, update_frequency: 500, polyak_coef: 0, backend: 'wasm', ...net },
    env: { max_frame: 20000 },
  });
  return withName({ ...spec, name: `${name}_cartpole_learn` }, name);
}

async function learn(spec: Spec, seed: number, maxFrames: number): Promise<{ best: number; frames: number; episodes: number }> {
  const backend = await initBackend({ gpu: false, backend: spec.agent.net.backend === 'fast' ? 'fast' : 'wasm' });
  const env = makeVectorEnv('CartPole-v1', 4);
  const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed, backend, devChecks: false });
  try {
    return trainUntil(agent, env, { maxFrames, seed, target: 100 });
  } finally {
    agent.dispose();
    env.close();
  }
}

/** The 64-64 relu body as a torcharc arc, with a LayerNorm after each Linear. */
const ARC_LN = {
  modules: { body: { Sequential: [{ LazyLinear: { out_features: 64 } }, { LayerNorm: { normalized_shape: 64 } }, { ReLU: null }, { LazyLinear: { out_features: 64 } }, { LayerNorm: { normalized_shape: 64 } }, { ReLU: null }] } },
  graph: { input: 'x', modules: { body: ['x'] }, output: 'body' },
};

describe('DQN family learns CartPole-v1', () => {
  it('DQN + Replay reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DQN', { name: 'Replay' }), 1, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });

  it('DQN + Replay on backend fast (the fast CPU path) reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DQN', { name: 'Replay' }, { backend: 'fast' }), 1, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });

  it('DoubleDQN + PrioritizedReplay reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DoubleDQN', { name: 'PrioritizedReplay' }), 2, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });

  it('DQN on DuelingMLPNet reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DQN', { name: 'Replay' }, { type: 'DuelingMLPNet', out_layer_activation: null }), 1, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });

  it('DQN on TorchArcNet (Linear, LayerNorm, ReLU x2) reaches a 20-episode mean return >= 100 within 20k frames', async () => {
    const r = await learn(learnSpec('DQN', { name: 'Replay' }, { type: 'TorchArcNet', arc: ARC_LN }), 1, 20000);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });
});
