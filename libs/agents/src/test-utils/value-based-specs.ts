/**
 * SARSA and REINFORCE specs for the agents' tests, validated by @gymlab/spec from SLM Lab's
 * benchmark files (sarsa_epsilon_greedy_cartpole, reinforce_cartpole) with overrides per
 * component, and the CartPole learning run their learning tests share.
 */
import { initBackend, type BackendName, type ComputeBackend } from '@gymlab/backends';
import { makeVectorEnv, type VectorEnv } from '@gymlab/envs';
import { resolveSpec, type Spec } from '@gymlab/spec';
import { createAgent } from '../registry.js';
import type { Agent } from '../types.js';
import type { MakeAgent } from './determinism.js';
import { agentFor, trainUntil, type TrainUntilResult } from './train.js';

type Obj = Record<string, unknown>;

export interface SpecOverrides {
  readonly algorithm?: Obj;
  readonly memory?: Obj;
  readonly net?: Obj;
  readonly env?: Obj;
}

/** A CartPole spec of `algorithm` (its name is the agent's; the spec is `<name>_test`) on `net`, then the overrides. */
function onCartPole(algorithm: Obj & { name: string }, net: Obj, o: SpecOverrides): Spec {
  return resolveSpec(
    {
      agent: { name: algorithm.name, algorithm: { ...algorithm, ...o.algorithm }, memory: { name: 'OnPolicyBatchReplay', ...o.memory }, net: { ...net, ...o.net } },
      env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 200000, ...o.env },
      meta: { distributed: false, eval_frequency: 500, max_trial: 1, max_session: 1, log_frequency: 500 },
    },
    `${algorithm.name.toLowerCase()}_test`,
  );
}

/** SLM Lab's sarsa_epsilon_greedy_cartpole (benchmark/sarsa/sarsa_cartpole.json). */
export function sarsaSpec(o: SpecOverrides = {}): Spec {
  return onCartPole(
    {
      name: 'SARSA',
      action_pdtype: 'Argmax',
      action_policy: 'epsilon_greedy',
      explore_var_spec: { name: 'linear_decay', start_val: 1.0, end_val: 0.055, start_step: 0, end_step: 10000 },
      gamma: 0.99,
      training_frequency: 32,
    },
    { type: 'MLPNet', hid_layers: [128], hid_layers_activation: 'tanh', clip_grad_val: 0.344, loss_spec: { name: 'MSELoss' }, optim_spec: { name: 'RMSprop', lr: 0.0087 } },
    o,
  );
}

/** SLM Lab's reinforce_cartpole (benchmark/reinforce/reinforce_cartpole.json). */
export function reinforceSpec(o: SpecOverrides = {}): Spec {
  return onCartPole(
    {
      name: 'Reinforce',
      action_pdtype: 'default',
      action_policy: 'default',
      center_return: true,
      explore_var_spec: null,
      gamma: 0.99,
      entropy_coef_spec: { name: 'linear_decay', start_val: 0.001, end_val: 0.0, start_step: 0, end_step: 200000 },
      training_frequency: 512,
    },
    {
      type: 'MLPNet',
      hid_layers: [128, 128],
      hid_layers_activation: 'tanh',
      init_fn: 'orthogonal_',
      clip_grad_val: 0.5,
      loss_spec: { name: 'MSELoss' },
      optim_spec: { name: 'Adam', lr: 0.002 },
    },
    o,
  );
}

/** `spec` with net keys replaced after validation (for what the schema refuses up front). */
export function withNet(spec: Spec, net: Obj): Spec {
  return { ...spec, agent: { ...spec.agent, net: { ...spec.agent.net, ...net } } } as Spec;
}

/** `spec` with SGD at lr 0: every update leaves the parameters unchanged (what the dev checks catch). */
export const withFrozenOptim = (spec: Spec): Spec => withNet(spec, { optim_spec: { ...spec.agent.net.optim_spec, name: 'SGD', lr: 0 } });

/** Builds `spec`'s agents (dev checks on) by seed, each on a fresh 4-env CartPole-v1, for the determinism checks. */
export async function agentMaker(spec: Spec, backend: BackendName = 'cpu'): Promise<MakeAgent> {
  const b = await initBackend({ gpu: false, backend });
  return (seed) => {
    const env = makeVectorEnv('CartPole-v1', 4);
    return { agent: agentFor(b, spec, env, seed), env };
  };
}

/** Trains `spec`'s agent on CartPole-v1 (4 envs, wasm) until a 20-episode mean return of `target` or `maxFrames`. */
export async function learnCartPole(spec: Spec, seed: number, maxFrames: number, target: number): Promise<TrainUntilResult> {
  const backend = await initBackend({ gpu: false, backend: 'wasm' });
  const env = makeVectorEnv('CartPole-v1', 4);
  const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed, backend, devChecks: false });
  try {
    return trainUntil(agent, env, { maxFrames, seed, target });
  } finally {
    agent.dispose();
    env.close();
  }
}

/** `spec`'s agent (through the registry) on a 4-env vector env (`envName`, default CartPole-v1); dev checks on unless told. */
export async function makeTestAgent(spec: Spec, seed: number, o: { backend?: BackendName; envName?: string; devChecks?: boolean } = {}): Promise<{ agent: Agent; env: VectorEnv; b: ComputeBackend }> {
  const b = await initBackend({ gpu: false, backend: o.backend ?? 'cpu' });
  const env = makeVectorEnv(o.envName ?? 'CartPole-v1', 4);
  const agent = createAgent({ spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace, numEnvs: 4, seed, backend: b, devChecks: o.devChecks ?? true });
  return { agent, env, b };
}
