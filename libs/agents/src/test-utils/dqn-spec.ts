/** DQN-family specs for the agents' tests, in SLM Lab's shape (every key written out, no defaults filled in). */
import type { Spec } from '@gymlab/spec';

type Obj = Record<string, unknown>;

/** An SLM Lab-style DQN spec (dqn_boltzmann_cartpole shape, small), with overrides per component. */
export function dqnSpec(o: { algorithm?: Obj; memory?: Obj; net?: Obj; env?: Obj } = {}): Spec {
  return {
    name: 'dqn_test',
    agent: {
      name: 'DQN',
      algorithm: {
        name: 'DQN',
        action_pdtype: 'Categorical',
        action_policy: 'boltzmann',
        explore_var_spec: { name: 'linear_decay', start_val: 1, end_val: 0.1, start_step: 0, end_step: 2000, frequency: 60 },
        gamma: 0.99,
        training_batch_iter: 2,
        training_iter: 2,
        training_frequency: 1,
        training_start_step: 32,
        ...o.algorithm,
      },
      memory: { name: 'Replay', batch_size: 32, max_size: 5000, use_cer: true, alpha: null, epsilon: null, ...o.memory },
      net: {
        type: 'MLPNet',
        shared: false,
        hid_layers: [32],
        hid_layers_activation: 'selu',
        out_layer_activation: null,
        init_fn: null,
        clip_grad_val: 0.5,
        loss_spec: { name: 'SmoothL1Loss' },
        optim_spec: { name: 'AdamW', lr: 0.001 },
        actor_optim_spec: null,
        critic_optim_spec: null,
        use_same_optim: false,
        lr_scheduler_spec: null,
        update_type: 'replace',
        update_frequency: 50,
        polyak_coef: 0.1,
        gpu: false,
        backend: null,
        normalize: false,
        batch_norm: false,
        conv_hid_layers: null,
        fc_hid_layers: null,
        ...o.net,
      },
    },
    env: { name: 'CartPole-v1', num_envs: 4, max_t: null, max_frame: 10000, normalize_obs: false, normalize_reward: false, ...o.env },
    meta: {},
    search: null,
  } as unknown as Spec;
}

/** `spec` run as another DQN-family algorithm (agent and algorithm name). */
export function withName(spec: Spec, name: string): Spec {
  return { ...spec, agent: { ...spec.agent, name, algorithm: { ...spec.agent.algorithm, name } } } as Spec;
}
