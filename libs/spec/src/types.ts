/**
 * The typed shape of a validated spec. Key names are SLM Lab v5's, so that its spec files load
 * unmodified. `load()` returns a deep-frozen `Spec`; nothing downstream reads specs by string path.
 */

/** A value schedule (SLM Lab's `explore_var_spec`, `clip_eps_spec`, `entropy_coef_spec`). */
export interface DecaySpec {
  readonly name: 'no_decay' | 'linear_decay' | 'rate_decay' | 'periodic_decay';
  readonly start_val: number;
  readonly end_val: number;
  readonly start_step: number;
  readonly end_step: number;
}

export type OptimizerName = 'Adam' | 'AdamW' | 'RMSprop' | 'SGD' | 'Adagrad' | 'Adadelta' | 'Adamax';

/** PyTorch-style optimizer spec: `name`, `lr`, and the optimizer's own keyword arguments. */
export interface OptimSpec {
  readonly name: OptimizerName;
  readonly lr: number;
  readonly betas?: readonly [number, number];
  readonly eps?: number;
  readonly weight_decay?: number;
  readonly momentum?: number;
  readonly alpha?: number;
  readonly amsgrad?: boolean;
  readonly centered?: boolean;
  readonly rho?: number;
}

/** SLM Lab lr schedulers (`lr_scheduler_spec`). */
export interface LrSchedulerSpec {
  readonly name: 'LinearToZero' | 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'ConstantLR';
  readonly frame?: number;
  readonly step_size?: number;
  readonly gamma?: number;
  readonly T_max?: number;
}

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'selu' | 'elu' | 'leakyrelu' | 'linear' | 'softplus' | 'gelu' | 'silu';
export type InitFn =
  | 'xavier_uniform_'
  | 'xavier_normal_'
  | 'kaiming_uniform_'
  | 'kaiming_normal_'
  | 'orthogonal_'
  | 'normal_'
  | 'uniform_'
  | 'default';
export type LossName = 'MSELoss' | 'SmoothL1Loss' | 'HuberLoss' | 'L1Loss';
export type BackendName = 'cpu' | 'wasm' | 'tensorflow' | 'tensorflow-gpu' | 'webgpu';

export interface NetSpec {
  readonly type: 'MLPNet' | 'ConvNet' | 'RecurrentNet';
  /** Actor and critic share a body (one net, two heads). */
  readonly shared: boolean;
  readonly hid_layers: readonly number[];
  readonly hid_layers_activation: Activation;
  readonly out_layer_activation: Activation | null;
  readonly init_fn: InitFn | null;
  readonly clip_grad_val: number | null;
  readonly loss_spec: { readonly name: LossName; readonly beta?: number; readonly delta?: number };
  /** One optimizer for the whole net (or both nets when `use_same_optim`). */
  readonly optim_spec: OptimSpec | null;
  readonly actor_optim_spec: OptimSpec | null;
  readonly critic_optim_spec: OptimSpec | null;
  readonly use_same_optim: boolean;
  readonly lr_scheduler_spec: LrSchedulerSpec | null;
  /** Target-net update for DQN-family and SAC: `replace` every `update_frequency` training steps, or `polyak`. */
  readonly update_type: 'replace' | 'polyak';
  readonly update_frequency: number;
  readonly polyak_coef: number;
  /** `auto`: fastest available backend; `true`: require a GPU backend; `false`: cpu/wasm. */
  readonly gpu: 'auto' | boolean;
  /** Explicit backend; overrides `gpu`. */
  readonly backend: BackendName | null;
  readonly normalize: boolean;
  readonly batch_norm: boolean;
  /** ConvNet only. */
  readonly conv_hid_layers: readonly (readonly number[])[] | null;
  readonly fc_hid_layers: readonly number[] | null;
}

export type AlgorithmName =
  | 'Random'
  | 'Reinforce'
  | 'SARSA'
  | 'VanillaDQN'
  | 'DQN'
  | 'DoubleDQN'
  | 'ActorCritic'
  | 'A2C'
  | 'PPO'
  | 'SoftActorCritic';

export interface AlgorithmSpec {
  readonly name: AlgorithmName;
  readonly action_pdtype: 'default' | 'Categorical' | 'Argmax' | 'Normal' | 'Beta' | 'Gumbel' | 'MultiCategorical';
  readonly action_policy: 'default' | 'random' | 'epsilon_greedy' | 'boltzmann';
  readonly explore_var_spec: DecaySpec | null;
  readonly gamma: number;
  /** GAE lambda (PPO, ActorCritic); null means n-step returns. */
  readonly lam: number | null;
  readonly num_step_returns: number | null;
  readonly entropy_coef_spec: DecaySpec | null;
  readonly clip_eps_spec: DecaySpec | null;
  readonly val_loss_coef: number;
  /** PPO value-loss clipping (SLM Lab files write `clip_val_loss`, its code reads `clip_vloss`). */
  readonly clip_vloss: boolean;
  readonly normalize_v_targets: boolean;
  readonly center_return: boolean;
  readonly time_horizon: number | null;
  readonly minibatch_size: number | null;
  readonly training_epoch: number | null;
  readonly training_frequency: number;
  readonly training_iter: number;
  readonly training_batch_iter: number;
  readonly training_start_step: number;
  /** PPO/A2C advantage normalisation per minibatch. */
  readonly normalize_advantages: boolean;
}

export interface MemorySpec {
  readonly name: 'OnPolicyReplay' | 'OnPolicyBatchReplay' | 'Replay' | 'PrioritizedReplay';
  readonly batch_size: number | null;
  readonly max_size: number | null;
  /** Combined experience replay: the newest transition is always in the batch. */
  readonly use_cer: boolean;
  /** PrioritizedReplay: priority exponent and the constant added to |TD error|. */
  readonly alpha: number | null;
  readonly epsilon: number | null;
}

export interface AgentSpec {
  readonly name: string;
  readonly algorithm: AlgorithmSpec;
  readonly memory: MemorySpec;
  readonly net: NetSpec;
}

export interface EnvSpec {
  readonly name: string;
  readonly num_envs: number;
  /** Episode step limit; null: the env's registered limit. */
  readonly max_t: number | null;
  readonly max_frame: number;
  readonly normalize_obs: boolean;
  readonly normalize_reward: boolean;
}

export interface SearchSchedulerSpec {
  readonly grace_period: number;
  readonly reduction_factor: number;
}

export interface MetaSpec {
  readonly distributed: boolean;
  /** Frames between metric rows. */
  readonly log_frequency: number;
  /** Frames between evaluations (and checkpoints). */
  readonly eval_frequency: number;
  /** Number of deterministic evaluation episodes; 0 or absent: training returns only. */
  readonly rigorous_eval: number;
  readonly max_session: number;
  readonly max_trial: number;
  /** Base seed; null: drawn at run time and recorded in provenance. */
  readonly random_seed: number | null;
  readonly search_resources: { readonly cpu?: number; readonly gpu?: number } | null;
  readonly search_scheduler: SearchSchedulerSpec | null;
  readonly search_sampler: 'tpe' | 'random' | 'grid' | null;
}

/** The raw search block: nested objects or dotted keys, leaves named `key__distribution`. */
export type SearchSpec = { readonly [key: string]: unknown };

export interface Spec {
  /** The spec's name in its file. */
  readonly name: string;
  readonly agent: AgentSpec;
  readonly env: EnvSpec;
  readonly meta: MetaSpec;
  readonly search: SearchSpec | null;
}
