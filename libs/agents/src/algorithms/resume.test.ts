/**
 * Save -> load -> continue equals the uninterrupted continuation, one algorithm family at a time:
 * the cut falls in the middle of a training cycle (a partial on-policy batch, a filling replay), on
 * a vector env snapshotted mid-episode; actions, update stats and weights must match exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { resolveSpec, type Spec } from '@gymlab/spec';
import { expectContinuesExactly, type MakeAgent } from '../test-utils/determinism.js';
import { dqnSpec } from '../test-utils/dqn-spec.js';
import { a2cSpec, ppoSpec } from '../test-utils/on-policy-specs.js';
import { agentFor } from '../test-utils/train.js';
import { reinforceSpec, sarsaSpec } from '../test-utils/value-based-specs.js';

let cpu: ComputeBackend;
let fast: ComputeBackend;
beforeAll(async () => {
  cpu = await initBackend({ gpu: false, backend: 'cpu' });
  fast = await initBackend({ gpu: false, backend: 'fast' });
});

const maker = (spec: Spec, numEnvs: number, backend: () => ComputeBackend): MakeAgent => (seed) => {
  const env = makeVectorEnv(spec.env.name, numEnvs);
  return { agent: agentFor(backend(), spec, env, seed, false), env };
};

describe('resume state: save -> load -> continue equals never stopping', () => {
  it('on-policy: PPO (tfjs) cut after 45 of a 32-step horizon keeps its partial batch', () => {
    const updates = expectContinuesExactly(maker(ppoSpec('CartPole-v1'), 2, () => cpu), 45, 60);
    expect(updates).toBe(2); // steps 64 and 96: the first batch was 13 steps full at the cut
  });

  it('on-policy: PPO on the fast backend, the same', () => {
    const spec = ppoSpec('CartPole-v1', { net: { backend: 'fast' } });
    expect(expectContinuesExactly(maker(spec, 2, () => fast), 45, 60)).toBe(2);
  });

  it('on-policy: ActorCritic (A2C) on the fast backend with normalize_v_targets, cut after 45 of a 16-step batch', () => {
    const spec = a2cSpec('CartPole-v1', { net: { backend: 'fast' }, algorithm: { normalize_v_targets: true } });
    expect(expectContinuesExactly(maker(spec, 2, () => fast), 45, 60)).toBe(4); // steps 48, 64, 80, 96
  });

  it('off-policy: DQN and DoubleDQN with prioritized replay keep the replay and its priorities', () => {
    expect(expectContinuesExactly(maker(dqnSpec(), 2, () => cpu), 20, 10)).toBe(10);
    const per = dqnSpec({ algorithm: { name: 'DoubleDQN' }, memory: { name: 'PrioritizedReplay', alpha: 0.6, epsilon: 0.0001 } });
    expect(expectContinuesExactly(maker(per, 2, () => cpu), 20, 10)).toBe(10);
  });

  it('off-policy: SAC on Pendulum keeps replay, entropy temperature and its optimizers', () => {
    const spec = resolveSpec(
      {
        agent: {
          name: 'SoftActorCritic',
          algorithm: { name: 'SoftActorCritic', action_pdtype: 'Normal', action_policy: 'default', gamma: 0.99, training_iter: 1, training_frequency: 1, training_start_step: 32 },
          memory: { name: 'Replay', batch_size: 16, max_size: 300, use_cer: false },
          net: { type: 'MLPNet', hid_layers: [16], hid_layers_activation: 'relu', init_fn: 'xavier_uniform_', clip_grad_val: null, loss_spec: { name: 'MSELoss' }, optim_spec: { name: 'Adam', lr: 0.001 }, update_type: 'polyak', polyak_coef: 0.005 },
        },
        env: { name: 'Pendulum-v1', num_envs: 2, max_t: null, max_frame: 2000 },
        meta: { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 },
      },
      'sac_resume_test',
    );
    expect(expectContinuesExactly(maker(spec, 2, () => cpu), 20, 12)).toBe(12);
  });

  it('Reinforce cut after 13 of a 8-step batch keeps its partial batch (discrete and continuous)', () => {
    const spec = reinforceSpec({ algorithm: { training_frequency: 8 }, net: { hid_layers: [16] } });
    expect(expectContinuesExactly(maker(spec, 2, () => cpu), 13, 20)).toBe(3); // steps 16, 24, 32
    const box = reinforceSpec({ algorithm: { training_frequency: 8, action_pdtype: 'Normal' }, net: { hid_layers: [16] }, env: { name: 'Pendulum-v1' } });
    expect(expectContinuesExactly(maker(box, 2, () => cpu), 13, 20)).toBe(3);
  });

  it("SARSA cut after 13 of a 8-step batch keeps its partial batch and the step waiting for its a'", () => {
    const spec = sarsaSpec({ algorithm: { training_frequency: 8, action_policy: 'boltzmann' }, net: { hid_layers: [16] } });
    expect(expectContinuesExactly(maker(spec, 2, () => cpu), 13, 20)).toBe(3); // a tuple enters one step late: batches at steps 9, 17, 25, 33
  });
});
