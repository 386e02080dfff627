/**
 * The typed shape of a validated spec, derived from the schema tables (`src/schema/`) with
 * `Static<F>`: the table that validates a component and generates its JSON Schema is also the only
 * declaration of its TypeScript type. Key names are SLM Lab v5's, so that its spec files load
 * unmodified. `load()` returns a deep-frozen `Spec`; nothing downstream reads specs by string path.
 */
import type { algorithmSpec, agentSpec, memorySpec, netSpec } from './schema/agent.js';
import type { decaySpec, lossSpec, lrSchedulerSpec, optimSpec } from './schema/components.js';
import type { Static } from './schema/dsl.js';
import type { envSpec, metaSpec, searchSchedulerSpec, specSchema } from './schema/spec.js';

/** A value schedule (SLM Lab's `explore_var_spec`, `clip_eps_spec`, `entropy_coef_spec`); every key filled. */
export type DecaySpec = Static<typeof decaySpec>;

/**
 * PyTorch-style optimizer spec: `name`, `lr`, and the optimizer's own keyword arguments.
 * The loader fills every keyword argument of the named optimizer with torch's default
 * (e.g. Adam: betas [0.9, 0.999], eps 1e-8, weight_decay 0, amsgrad false; AdamW: weight_decay 0.01;
 * RMSprop: alpha 0.99, eps 1e-8, momentum 0, centered false); keys of other optimizers stay absent.
 */
export type OptimSpec = Static<typeof optimSpec>;
export type OptimizerName = OptimSpec['name'];

/**
 * SLM Lab lr schedulers (`lr_scheduler_spec`): `LinearToZero` (SLM Lab's own: lr falls linearly to 0
 * over `frame` env frames), else a torch.optim.lr_scheduler class with its kwargs, stepped once per
 * training step. The loader fills the named scheduler's kwargs with torch defaults.
 */
export type LrSchedulerSpec = Static<typeof lrSchedulerSpec>;

/** `loss_spec`: torch.nn loss name and kwargs (SmoothL1Loss: beta, default 1; HuberLoss: delta, default 1). */
export type LossSpec = Static<typeof lossSpec>;
export type LossName = LossSpec['name'];

/** `agent.net`: one flat shape for MLPNet, ConvNet and RecurrentNet (keys a type does not read hold their defaults). */
export type NetSpec = Static<typeof netSpec>;
export type Activation = NetSpec['hid_layers_activation'];
export type InitFn = NonNullable<NetSpec['init_fn']>;
export type BackendName = NonNullable<NetSpec['backend']>;

/**
 * All algorithms share one flat shape: every key is filled (with its default when the algorithm
 * does not use it). Input files may set only the keys the named algorithm reads (see the schema);
 * a key of another algorithm is accepted only with its default value (so resolved specs reload).
 */
export type AlgorithmSpec = Static<typeof algorithmSpec>;
export type AlgorithmName = AlgorithmSpec['name'];
/** Keys of an algorithm-specific spec block, for code that wants to list them. */
export type AlgorithmKey = keyof AlgorithmSpec;

export type MemorySpec = Static<typeof memorySpec>;
export type AgentSpec = Static<typeof agentSpec>;
export type EnvSpec = Static<typeof envSpec>;
export type SearchSchedulerSpec = Static<typeof searchSchedulerSpec>;
export type MetaSpec = Static<typeof metaSpec>;
/** The raw search block: nested objects or dotted keys, leaves named `key__distribution`. */
export type SearchSpec = NonNullable<Spec['search']>;

export type Spec = Static<typeof specSchema>;
