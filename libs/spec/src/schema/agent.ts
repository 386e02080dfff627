/** Schema tables of `agent.algorithm`, `agent.memory` and `agent.net` (SLM Lab v5 keys). */
import { decaySpec, lossSpec, lrSchedulerSpec, optimSpec } from './components.js';
import { DERIVED, bool, data, flag, int, list, num, obj, oneOf, oneOfValues, orNull, p, required, str, tagged, type Is } from './dsl.js';

export const ALGORITHM_NAMES = [
  'Random',
  'Reinforce',
  'SARSA',
  'VanillaDQN',
  'DQN',
  'DoubleDQN',
  'ActorCritic',
  'PPO',
  'SoftActorCritic',
  'SIL',
  'PPOSIL',
  'CrossQ',
  'HydraDQN',
] as const;

const actionPdtypes = [
  'default',
  'Categorical',
  'Argmax',
  'GumbelSoftmax',
  'GumbelCategorical',
  'RelaxedOneHotCategorical',
  'Normal',
  'Beta',
  'Gumbel',
  'LogNormal',
  'MultivariateNormal',
  'MultiCategorical',
  'Bernoulli',
] as const;

const prob = num({ min: 0, max: 1 });
const posInt = int({ min: 1 });

/** Keys of the action policy and the discount, read by every algorithm but SAC (no explore_var_spec). */
const policyUses = ['action_pdtype', 'action_policy', 'explore_var_spec', 'gamma'] as const;
const dqnUses = [...policyUses, 'training_batch_iter', 'training_iter', 'training_frequency', 'training_start_step'] as const;
/** ActorCritic and PPO: GAE keys around their own (the order is that of the error messages and the JSON Schema). */
const gaeUses = <const K extends readonly string[]>(...own: K) => [...policyUses, 'lam', ...own, 'normalize_v_targets', 'normalize_advantages'] as const;
const ppoOwn = ['clip_eps_spec', 'entropy_coef_spec', 'val_loss_coef', 'clip_vloss', 'minibatch_size', 'time_horizon', 'training_epoch', 'symlog'] as const;
const a2cOwn = ['num_step_returns', 'entropy_coef_spec', 'policy_loss_coef', 'val_loss_coef', 'training_frequency'] as const;
/** SIL's own keys (Oh et al. 2018): the replayed self-imitation losses and their gradient steps. */
const silOwn = ['sil_policy_loss_coef', 'sil_val_loss_coef', 'training_batch_iter', 'training_iter'] as const;
const sacUses = [
  'action_pdtype',
  'action_policy',
  'gamma',
  'training_iter',
  'training_frequency',
  'training_start_step',
  'policy_delay',
  'entropy_penalty_coef',
  'symlog',
  'log_alpha_min',
  'log_alpha_max',
  'alpha_lr',
  'fixed_alpha',
  'alpha_anneal_frames',
  'spectral_norm',
  'target_entropy',
] as const;
// SLM Lab: training_iter defaults to env.num_envs, training_start_step to max(1000, memory.batch_size).
const sacDefaults = { training_iter: DERIVED, training_start_step: DERIVED } as const;
const dqnDefaults = { action_pdtype: 'Argmax', action_policy: 'epsilon_greedy' } as const;

const algorithmSpecTable = tagged({
  tag: 'name',
  what: 'algorithm',
  fill: 'all',
  aliases: { clip_val_loss: 'clip_vloss' },
  props: {
    action_pdtype: p(oneOfValues('action_pdtype', actionPdtypes), "Action distribution; 'default' picks by action space.", {
      default: 'default',
    }),
    action_policy: p(oneOfValues('action_policy', ['default', 'random', 'epsilon_greedy', 'boltzmann']), 'How actions are drawn from the distribution.', {
      default: 'default',
    }),
    explore_var_spec: orNull(decaySpec, 'Schedule of epsilon (epsilon_greedy) or tau (boltzmann).'),
    gamma: p(prob, 'Discount factor.', { default: 0.99 }),
    lam: orNull(prob, 'GAE lambda; null: n-step or plain returns.'),
    num_step_returns: orNull(posInt, 'n of n-step returns (ActorCritic, when lam is null).'),
    entropy_coef_spec: orNull(decaySpec, 'Schedule of the entropy bonus coefficient.'),
    clip_eps_spec: orNull(decaySpec, 'Schedule of the PPO clip range.'),
    policy_loss_coef: p(num({ min: 0 }), 'Weight of the policy loss.', { default: 1.0 }),
    val_loss_coef: p(num({ min: 0 }), 'Weight of the value loss.', { default: 1.0 }),
    clip_vloss: flag('PPO value-loss clipping with clip_eps (files may write clip_val_loss).'),
    normalize_v_targets: flag('Scale value targets by a running std of returns.'),
    center_return: flag('Reinforce: subtract the mean return (baseline).'),
    time_horizon: orNull(posInt, 'PPO: env steps per sub-env between updates.'),
    minibatch_size: orNull(posInt, 'PPO: minibatch size.'),
    training_epoch: orNull(posInt, 'PPO: epochs over each batch.'),
    training_frequency: p(posInt, 'Train every this many env steps (per sub-env for on-policy batch memories).', { default: 1 }),
    training_iter: p(posInt, 'Gradient steps per training call (off-policy).', { default: 1 }),
    training_batch_iter: p(posInt, 'Gradient steps per sampled batch (DQN family).', { default: 1 }),
    training_start_step: p(int({ min: 0 }), 'Frames collected before training starts (off-policy).', { default: 0 }),
    normalize_advantages: p(
      oneOf(bool, oneOfValues('normalize_advantages', ['standardize', 'percentile'])),
      "Advantage normalisation per minibatch: true or 'standardize' (mean 0, std 1), 'percentile' (DreamerV3's 5th-95th percentile scale), false: none.",
      { default: false },
    ),
    symlog: flag('Symlog compression of value / Q targets (DreamerV3).'),
    sil_policy_loss_coef: orNull(num({ min: 0 }), 'SIL: weight of the self-imitation policy loss.'),
    sil_val_loss_coef: orNull(num({ min: 0 }), 'SIL: weight of the self-imitation value loss.'),
    policy_delay: p(posInt, 'SAC/CrossQ: critic updates per actor update.', { default: 1 }),
    entropy_penalty_coef: p(num({ min: 0 }), 'SAC/CrossQ: entropy penalty coefficient (0: off).', { default: 0 }),
    log_alpha_min: p(num(), 'SAC/CrossQ: lower clamp of log alpha.', { default: -5.0 }),
    log_alpha_max: p(num(), 'SAC/CrossQ: upper clamp of log alpha.', { default: 2.0 }),
    alpha_lr: orNull(num({ min: 0, exclusiveMin: true }), 'SAC/CrossQ: lr of the alpha optimizer (null: the actor lr).'),
    fixed_alpha: orNull(num({ min: 0 }), 'SAC/CrossQ: fixed entropy coefficient (null: tuned).'),
    alpha_anneal_frames: p(int({ min: 0 }), 'SAC/CrossQ: frames over which alpha anneals linearly to 0 (0: none).', { default: 0 }),
    spectral_norm: flag('SAC/CrossQ: spectral norm on the penultimate critic layer.'),
    target_entropy: p(oneOf(oneOfValues('target_entropy', ['auto']), num()), "SAC/CrossQ: entropy target ('auto': from the action space).", { default: 'auto' }),
  },
  variants: {
    Random: { doc: 'Uniform random actions.', uses: [...policyUses, 'training_frequency'], defaults: { action_policy: 'random' } },
    Reinforce: {
      doc: 'REINFORCE with optional mean baseline.',
      uses: ['action_pdtype', 'action_policy', 'center_return', 'explore_var_spec', 'gamma', 'entropy_coef_spec', 'policy_loss_coef', 'training_frequency'],
      required: ['gamma'],
    },
    SARSA: {
      doc: 'SARSA with a Q-network.',
      uses: [...policyUses, 'training_frequency'],
      required: ['gamma'],
      defaults: dqnDefaults,
    },
    VanillaDQN: { doc: 'DQN without a target network.', uses: dqnUses, required: ['gamma'], defaults: dqnDefaults },
    DQN: { doc: 'DQN with a target network (net.update_type).', uses: dqnUses, required: ['gamma'], defaults: dqnDefaults },
    DoubleDQN: { doc: 'Double DQN.', uses: dqnUses, required: ['gamma'], defaults: dqnDefaults },
    ActorCritic: {
      doc: 'A2C: GAE (lam), n-step (num_step_returns) or plain returns.',
      uses: gaeUses(...a2cOwn),
      required: ['gamma', 'training_frequency'],
    },
    PPO: {
      doc: 'PPO with the clipped surrogate objective and GAE (minibatch_size: 4 when absent, as in SLM Lab).',
      uses: gaeUses(...ppoOwn),
      required: ['gamma', 'lam', 'clip_eps_spec', 'time_horizon', 'training_epoch'],
      defaults: { normalize_advantages: true, minibatch_size: 4 },
    },
    SoftActorCritic: {
      doc: 'SAC with twin Q-networks and automatic entropy tuning.',
      uses: sacUses,
      required: ['gamma'],
      defaults: sacDefaults,
    },
    SIL: {
      doc: 'A2C plus self-imitation learning from a replay of good returns (memory.sil_replay_name).',
      uses: gaeUses(...a2cOwn, ...silOwn),
      required: ['gamma', 'training_frequency', 'sil_policy_loss_coef', 'sil_val_loss_coef'],
    },
    PPOSIL: {
      doc: 'PPO plus self-imitation learning (memory.sil_replay_name).',
      uses: gaeUses(...ppoOwn, ...silOwn),
      required: ['gamma', 'lam', 'clip_eps_spec', 'time_horizon', 'training_epoch', 'sil_policy_loss_coef', 'sil_val_loss_coef'],
      defaults: { normalize_advantages: true, minibatch_size: 4 },
    },
    CrossQ: {
      doc: 'SAC without target networks, batch-renormalised critics (agent.critic_net).',
      uses: sacUses,
      required: ['gamma'],
      defaults: sacDefaults,
    },
    HydraDQN: {
      doc: 'DQN over several envs with a HydraMLPNet (one head per env).',
      uses: dqnUses,
      required: ['gamma'],
      defaults: dqnDefaults,
    },
  },
  tagAliases: { A2C: 'ActorCritic' },
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface AlgorithmSpecField extends Is<typeof algorithmSpecTable> {}
export const algorithmSpec: AlgorithmSpecField = algorithmSpecTable;

/** On-policy memories carry the keys of SIL's replay (`sil_replay_name`); `derive.ts` allows them for SIL and PPOSIL only. */
const silReplayUses = ['sil_replay_name', 'batch_size', 'max_size', 'use_cer', 'alpha', 'epsilon'] as const;

export const MEMORY_NAMES = ['OnPolicyReplay', 'OnPolicyBatchReplay', 'OnPolicyCrossEntropy', 'Replay', 'PrioritizedReplay'] as const;

const memorySpecTable = tagged({
  tag: 'name',
  what: 'memory',
  fill: 'all',
  props: {
    batch_size: orNull(posInt, 'Transitions per sampled batch.'),
    max_size: orNull(posInt, 'Capacity in transitions.'),
    use_cer: flag('Combined experience replay: the newest transition is always in the batch.'),
    alpha: orNull(num({ min: 0 }), 'PrioritizedReplay: priority exponent.'),
    epsilon: orNull(num({ min: 0, exclusiveMin: true }), 'PrioritizedReplay: constant added to |TD error|.'),
    sil_replay_name: orNull(oneOfValues('memory', ['Replay', 'PrioritizedReplay']), "SIL/PPOSIL: the self-imitation replay (it reads this memory's batch_size, max_size, use_cer)."),
    cross_entropy: p(prob, 'OnPolicyCrossEntropy: train on the episodes whose total reward is >= this quantile of the batch (1: all).', { default: 1 }),
  },
  variants: {
    OnPolicyReplay: { doc: 'Whole episodes, cleared after each training step.', uses: silReplayUses },
    OnPolicyBatchReplay: { doc: 'A batch of training_frequency (or time_horizon) steps, cleared after training.', uses: silReplayUses },
    OnPolicyCrossEntropy: { doc: 'OnPolicyReplay that trains on the elite episodes only (the cross-entropy method).', uses: ['cross_entropy'] },
    Replay: { doc: 'Uniform experience replay (ring buffer).', uses: ['batch_size', 'max_size', 'use_cer'], required: ['batch_size', 'max_size'] },
    PrioritizedReplay: {
      doc: 'Proportional prioritized replay.',
      uses: ['batch_size', 'max_size', 'use_cer', 'alpha', 'epsilon'],
      required: ['batch_size', 'max_size', 'alpha', 'epsilon'],
    },
  },
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface MemorySpecField extends Is<typeof memorySpecTable> {}
export const memorySpec: MemorySpecField = memorySpecTable;

export const NET_TYPES = ['MLPNet', 'ConvNet', 'RecurrentNet', 'DuelingMLPNet', 'TorchArcNet', 'DuelingConvNet', 'HydraMLPNet'] as const;

const activations = ['relu', 'tanh', 'sigmoid', 'selu', 'elu', 'leakyrelu', 'linear', 'softplus', 'gelu', 'silu'] as const;
const initFns = ['xavier_uniform_', 'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'orthogonal_', 'normal_', 'uniform_', 'default'] as const;
/** `agent.net.backend`'s values (@gymlab/backends' BackendName: this lib depends on no other). */
export const NET_BACKENDS = ['cpu', 'wasm', 'tensorflow', 'tensorflow-gpu', 'webgpu', 'fast', 'native'] as const;
const backends = NET_BACKENDS;

/** Keys every net type reads. */
const netCommon = [
  'shared',
  'hid_layers_activation',
  'out_layer_activation',
  'init_fn',
  'clip_grad_val',
  'loss_spec',
  'optim_spec',
  'actor_optim_spec',
  'critic_optim_spec',
  'use_same_optim',
  'lr_scheduler_spec',
  'actor_lr_scheduler_spec',
  'critic_lr_scheduler_spec',
  'update_type',
  'update_frequency',
  'polyak_coef',
  'gpu',
  'backend',
  'log_std_init',
  'actor_init_std',
  'critic_init_std',
] as const;

const netSpecTable = tagged({
  tag: 'type',
  what: 'net type',
  fill: 'all',
  props: {
    shared: flag('Actor and critic share a body (one net, two heads).'),
    hid_layers: p(list(posInt), 'MLPNet hidden layer sizes.', { default: [] }),
    // Loose on purpose: hydra_dqn.json (SLM Lab 5.3 ships it, without a HydraDQN class) searches over
    // flat MLP layer lists; SLM Lab's HydraMLPNet asserts the three-part form when it is built.
    hydra_hid_layers: orNull(
      list(oneOf(posInt, list(posInt), list(list(posInt))), { minItems: 1 }),
      'HydraMLPNet: [head layers per env, body layers, tail layers per env]; files write it as hid_layers.',
    ),
    lr_decay_frequency: orNull(posInt, 'HydraMLPNet: an SLM Lab v3 key its hydra_dqn.json still searches over; read by nothing.'),
    hid_layers_activation: p(oneOfValues('activation', activations), 'Hidden-layer activation.', { default: 'relu' }),
    out_layer_activation: orNull(oneOfValues('activation', activations), 'Output-layer activation (null: linear).'),
    init_fn: orNull(oneOfValues('init_fn', initFns), 'Weight init (torch.nn.init name).'),
    clip_grad_val: orNull(num({ min: 0, exclusiveMin: true }), 'Global gradient-norm clip (null: none).'),
    loss_spec: p(lossSpec, 'Value / Q regression loss.', { default: { name: 'MSELoss' } }),
    optim_spec: p(optimSpec, 'Optimizer (default Adam when no actor_optim_spec is given).', { nullable: true, default: DERIVED }),
    actor_optim_spec: orNull(optimSpec, 'ActorCritic family: actor optimizer.'),
    critic_optim_spec: orNull(optimSpec, 'ActorCritic family: critic optimizer.'),
    use_same_optim: flag('Critic uses the actor optimizer settings.'),
    lr_scheduler_spec: orNull(lrSchedulerSpec, 'Learning-rate schedule.'),
    actor_lr_scheduler_spec: orNull(lrSchedulerSpec, 'Actor learning-rate schedule.'),
    critic_lr_scheduler_spec: orNull(lrSchedulerSpec, 'Critic learning-rate schedule.'),
    update_type: p(oneOfValues('update_type', ['replace', 'polyak']), 'Target-net update.', { default: 'replace' }),
    update_frequency: p(posInt, 'Training steps between target-net replacements.', { default: 1 }),
    polyak_coef: p(prob, 'Polyak coefficient: target <- coef*online + (1-coef)*target.', { default: 0 }),
    gpu: p(oneOf(oneOfValues('gpu', ['auto']), bool), "'auto': fastest available backend; true: require a GPU backend; false: cpu/wasm.", {
      default: false,
    }),
    backend: orNull(oneOfValues('backend', backends), 'gymlab: explicit backend (a tfjs one, or fast | native: the fast CPU path on its wasm | native kernels); overrides gpu.'),
    normalize: flag('Scale image inputs by 1/255 (ConvNet).'),
    batch_norm: flag('Batch normalisation between layers.'),
    layer_norm: flag('MLPNet: LayerNorm after each hidden Linear, before its activation.'),
    arc: orNull(data('a torcharc architecture: {modules, graph}'), 'TorchArcNet: the body as a torcharc spec (modules, graph).'),
    log_std_init: orNull(num(), 'Continuous policies: initial log-std.'),
    actor_init_std: orNull(num({ min: 0, exclusiveMin: true }), 'Init std of the actor output layer.'),
    critic_init_std: orNull(num({ min: 0, exclusiveMin: true }), 'Init std of the critic output layer.'),
    conv_hid_layers: orNull(list(list(int({ min: 0 }), { minItems: 2, maxItems: 5 }), { minItems: 1 }), 'ConvNet: [out_channels, kernel, stride, padding, dilation] per layer.'),
    fc_hid_layers: orNull(list(posInt), 'ConvNet/RecurrentNet: fully connected layer sizes.'),
    cell_type: orNull(oneOfValues('cell_type', ['RNN', 'LSTM', 'GRU']), 'RecurrentNet cell.'),
    rnn_hidden_size: orNull(posInt, 'RecurrentNet hidden size.'),
    rnn_num_layers: orNull(posInt, 'RecurrentNet stacked layers.'),
    bidirectional: orNull(bool, 'RecurrentNet bidirectional.'),
    seq_len: orNull(posInt, 'RecurrentNet input sequence length (frames stacked).'),
  },
  variants: {
    MLPNet: {
      doc: 'Fully connected body.',
      uses: [...netCommon, 'hid_layers', 'normalize', 'batch_norm', 'layer_norm'],
      required: ['hid_layers'],
    },
    HydraMLPNet: {
      doc: 'One MLP head per env, a shared body, one tail per env (hid_layers: [heads, body, tails]).',
      uses: [...netCommon, 'hydra_hid_layers', 'lr_decay_frequency'],
      required: ['hydra_hid_layers'],
      aliases: { hid_layers: 'hydra_hid_layers' },
    },
    ConvNet: {
      doc: 'Convolutional body then fully connected layers.',
      uses: [...netCommon, 'conv_hid_layers', 'fc_hid_layers', 'normalize', 'batch_norm'],
      required: ['conv_hid_layers'],
      defaults: { fc_hid_layers: [] },
    },
    DuelingConvNet: {
      doc: 'ConvNet body with value and advantage streams.',
      uses: [...netCommon, 'conv_hid_layers', 'fc_hid_layers', 'normalize', 'batch_norm'],
      required: ['conv_hid_layers'],
      defaults: { fc_hid_layers: [] },
    },
    RecurrentNet: {
      doc: 'Optional fully connected layers, then an RNN over seq_len stacked frames.',
      uses: [...netCommon, 'cell_type', 'fc_hid_layers', 'rnn_hidden_size', 'rnn_num_layers', 'bidirectional', 'seq_len'],
      required: ['rnn_hidden_size', 'seq_len'],
      defaults: { cell_type: 'GRU', fc_hid_layers: [], rnn_num_layers: 1, bidirectional: false },
    },
    DuelingMLPNet: {
      doc: 'Fully connected body, then a state-value and an advantage stream: Q = V + A - mean(A) (DQN family).',
      uses: [...netCommon.filter((k) => k !== 'out_layer_activation'), 'hid_layers'],
      required: ['hid_layers'],
    },
    TorchArcNet: {
      doc: 'Body built from a torcharc spec (`arc`), then output layers as MLPNet.',
      // SLM Lab's files write batch_norm on TorchArcNet (which reads none); only false is accepted (derive.ts)
      uses: [...netCommon, 'arc', 'normalize', 'batch_norm'],
      required: ['arc'],
    },
  },
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface NetSpecField extends Is<typeof netSpecTable> {}
export const netSpec: NetSpecField = netSpecTable;

const agentSpecTable = obj({
  name: required(str, 'Agent name (free text; SLM Lab files use the algorithm name, A2C for ActorCritic).'),
  algorithm: required(algorithmSpec, 'Algorithm and its hyperparameters.'),
  memory: required(memorySpec, 'Experience memory.'),
  net: required(netSpec, 'Network, optimizer and training settings.'),
  critic_net: orNull(netSpec, 'CrossQ: the critics\' net (null: net).'),
});
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a named type, see `Is`
export interface AgentSpecField extends Is<typeof agentSpecTable> {}
export const agentSpec: AgentSpecField = agentSpecTable;
