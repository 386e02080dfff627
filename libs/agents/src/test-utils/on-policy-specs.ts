/**
 * Small ActorCritic (A2C) and PPO specs for the agents' tests, in SLM Lab's shape and validated by
 * @gymlab/spec: the same separate actor/critic MLPNet, env and meta keys, with per-algorithm keys.
 */
import { resolveSpec, type Spec } from '@gymlab/spec';

/** Patches of a test spec: algorithm, memory and net keys, and the number of envs. */
export interface OnPolicyOverrides {
  readonly algorithm?: object;
  readonly net?: object;
  readonly memory?: object;
  readonly numEnvs?: number;
}

const noDecay = (v: number): object => ({ name: 'no_decay', start_val: v, end_val: v, start_step: 0, end_step: 0 });

function onPolicySpec(name: string, env: string, algorithm: object, lr: { actor: number; critic: number }, over: OnPolicyOverrides): Spec {
  return resolveSpec(
    {
      agent: {
        name,
        algorithm: {
          name, action_pdtype: 'default', action_policy: 'default', explore_var_spec: null, gamma: 0.99, lam: 0.95,
          entropy_coef_spec: noDecay(0.01), val_loss_coef: 0.5, ...algorithm, ...over.algorithm,
        },
        memory: { name: 'OnPolicyBatchReplay', ...over.memory },
        net: {
          type: 'MLPNet', shared: false, hid_layers: [16, 16], hid_layers_activation: 'tanh', clip_grad_val: 0.5, use_same_optim: false,
          loss_spec: { name: 'MSELoss' }, actor_optim_spec: { name: 'Adam', lr: lr.actor }, critic_optim_spec: { name: 'Adam', lr: lr.critic }, ...over.net,
        },
      },
      env: { name: env, num_envs: over.numEnvs ?? 2, max_t: null, max_frame: 10000 },
      meta: { distributed: false, log_frequency: 500, eval_frequency: 500, max_session: 1, max_trial: 1 },
    },
    `${name.toLowerCase()}_test`,
  );
}

/** An A2C spec: GAE, a batch every 16 vector steps. */
export function a2cSpec(env: string, over: OnPolicyOverrides = {}): Spec {
  return onPolicySpec('A2C', env, { num_step_returns: null, training_frequency: 16 }, { actor: 1e-3, critic: 3e-3 }, over);
}

/** A PPO spec: clip 0.2, 32-step horizon, 2 epochs of 16-row minibatches. */
export function ppoSpec(env: string, over: OnPolicyOverrides = {}): Spec {
  return onPolicySpec('PPO', env, { clip_eps_spec: noDecay(0.2), time_horizon: 32, minibatch_size: 16, training_epoch: 2 }, { actor: 3e-4, critic: 1e-3 }, over);
}
