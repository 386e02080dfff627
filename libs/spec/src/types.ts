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
  /** `periodic_decay` only: period in steps (SLM Lab default 60). */
  readonly frequency: number;
}

export type OptimizerName = 'Adam' | 'AdamW' | 'RMSprop' | 'SGD' | 'Adagrad' | 'Adadelta' | 'Adamax';

/**
 * PyTorch-style optimizer spec: `name`, `lr`, and the optimizer's own keyword arguments.
 * The loader fills every keyword argument of the named optimizer with torch's default
 * (e.g. Adam: betas [0.9, 0.999], eps 1e-8, weight_decay 0, amsgrad false; AdamW: weight_decay 0.01;
 * RMSprop: alpha 0.99, eps 1e-8, momentum 0, centered false); keys of other optimizers stay absent.
 */

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
  readonly dampening?: number;
  readonly nesterov?: boolean;
  readonly lr_decay?: number;
  readonly initial_accumulator_value?: number;
}

/**
 * SLM Lab lr schedulers (`lr_scheduler_spec`): `LinearToZero` (SLM Lab's own: lr falls linearly to 0
 * over `frame` env frames), else a torch.optim.lr_scheduler class with its kwargs, stepped once per
 * training step. The loader fills the named scheduler's kwargs with torch defaults.
 */
export interface LrSchedulerSpec {
  readonly name:
    | 'LinearToZero'
    | 'StepLR'
    | 'MultiStepLR'
    | 'ExponentialLR'
    | 'CosineAnnealingLR'
    | 'ConstantLR'
    | 'LinearLR';
  /** LinearToZero: total env frames over which lr goes to 0. */
  readonly frame?: number;
  /** StepLR. */
  readonly step_size?: number;
  /** StepLR, MultiStepLR, ExponentialLR: multiplicative factor. */
  readonly gamma?: number;
  /** MultiStepLR. */
  readonly milestones?: readonly number[];
  /** CosineAnnealingLR. */
  readonly T_max?: number;
  readonly eta_min?: number;
  /** ConstantLR. */
  readonly factor?: number;
  /** ConstantLR, LinearLR. */
  readonly total_iters?: number;
  /** LinearLR. */
  readonly start_factor?: number;
  readonly end_factor?: number;
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

/** `loss_spec`: torch.nn loss name and kwargs (SmoothL1Loss: beta, default 1; HuberLoss: delta, default 1). */
export interface LossSpec {
  readonly name: LossName;
  readonly beta?: number;
  readonly delta?: number;
}
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
  readonly loss_spec: LossSpec;
  /** One optimizer for the whole net (or both nets when `use_same_optim`). */
  readonly optim_spec: OptimSpec | null;
  readonly actor_optim_spec: OptimSpec | null;
  readonly critic_optim_spec: OptimSpec | null;
  readonly use_same_optim: boolean;
  readonly lr_scheduler_spec: LrSchedulerSpec | null;
  /** Actor/critic lr schedulers (ActorCritic family, `actor_`/`critic_` prefixed keys as in SLM Lab). */
  readonly actor_lr_scheduler_spec: LrSchedulerSpec | null;
  readonly critic_lr_scheduler_spec: LrSchedulerSpec | null;
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
  /** Continuous policies: initial log-std of the state-independent Gaussian (null: the net's default). */
  readonly log_std_init: number | null;
  /** Init std (gain) of the actor / critic output layers (null: `init_fn`'s default). */
  readonly actor_init_std: number | null;
  readonly critic_init_std: number | null;
  /** ConvNet only: `[out_channels, kernel, stride, padding, dilation]` per layer. */
  readonly conv_hid_layers: readonly (readonly number[])[] | null;
  /** ConvNet / RecurrentNet: fully connected layers after the conv body / before the RNN. */
  readonly fc_hid_layers: readonly number[] | null;
  /** RecurrentNet only (null elsewhere). */
  readonly cell_type: 'RNN' | 'LSTM' | 'GRU' | null;
  readonly rnn_hidden_size: number | null;
  readonly rnn_num_layers: number | null;
  readonly bidirectional: boolean | null;
  readonly seq_len: number | null;
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

/**
 * All algorithms share one flat shape: every key is filled (with its default when the algorithm
 * does not use it). Input files may set only the keys the named algorithm reads (see the schema);
 * a key of another algorithm is accepted only with its default value (so resolved specs reload).
 */
export interface AlgorithmSpec {
  readonly name: AlgorithmName;
  readonly action_pdtype:
    | 'default'
    | 'Categorical'
    | 'Argmax'
    | 'GumbelCategorical'
    | 'RelaxedOneHotCategorical'
    | 'Normal'
    | 'Beta'
    | 'Gumbel'
    | 'LogNormal'
    | 'MultivariateNormal'
    | 'MultiCategorical'
    | 'Bernoulli';
  readonly action_policy: 'default' | 'random' | 'epsilon_greedy' | 'boltzmann';
  readonly explore_var_spec: DecaySpec | null;
  readonly gamma: number;
  /** GAE lambda (PPO, ActorCritic); null means n-step returns. */
  readonly lam: number | null;
  readonly num_step_returns: number | null;
  readonly entropy_coef_spec: DecaySpec | null;
  readonly clip_eps_spec: DecaySpec | null;
  /** ActorCritic / Reinforce: weight of the policy loss. */
  readonly policy_loss_coef: number;
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

/** Keys of an algorithm-specific spec block, for code that wants to list them. */
export type AlgorithmKey = keyof AlgorithmSpec;

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
