/**
 * The seam between the on-policy algorithms (on-policy-agent.ts with ppo.ts and actor-critic.ts:
 * memory, advantages and value targets, advantage normalisation, minibatch order, schedules,
 * checkpoint meta, resume, dev checks) and the nets that compute them. An `OnPolicyCompute` holds
 * the actor and critic (or one shared net) with their optimizers, lr schedules and clip_grad_val,
 * and answers on plain arrays: actions, the old log-probabilities and values of a batch, and one
 * optimizer step of the algorithm's loss on a minibatch. Two implementations: TensorFlow.js
 * (on-policy-tfjs.ts: every net type, shared or separate nets, any tfjs backend) and the fast CPU
 * path (on-policy-fast.ts: separate MLPNet actor and critic as FastMlp). Both name their checkpoint
 * tensors the same: `actor|critic/l{i}/kernel|bias`, `actor/log_std`, `optim{0,1}/step|m|v`.
 */
import type { ActionBatch } from '@gymlab/envs';
import type { Rng } from '@gymlab/random';
import type { LossSpec } from '@gymlab/spec';
import type { TensorData } from '../net/types.js';
import type { AgentContext } from '../types.js';

/** One minibatch in the agent's buffers; the first `n` rows count. */
export interface OnPolicyMinibatch {
  readonly n: number;
  /** [n * obsSize] observations. */
  readonly obs: Float32Array;
  /** [n * actionWidth] actions as `encodeActions` gave them. */
  readonly actions: Float32Array;
  /** [n] advantages (normalised), value targets (on the value head's scale). */
  readonly adv: Float32Array;
  readonly ret: Float32Array;
  /** [n] PPO's log pi_old(a|s) and V_old(s); unread by the A2C loss. */
  readonly oldLogp: Float32Array;
  readonly oldValue: Float32Array;
}

/** PPO's clipped loss (losses/ppo.ts): terms policy, value, entropy, approx_kl, clip_fraction. */
export interface PpoLossConfig {
  readonly kind: 'ppo';
  readonly clipEps: number;
  readonly clipVloss: boolean;
  readonly valLossCoef: number;
  readonly entropyCoef: number;
  readonly lossSpec?: LossSpec;
}

/**
 * The A2C loss (losses/actor-critic.ts): terms policy, value, entropy. `valueScale`: with
 * normalize_v_targets, V(s) enters the value loss as clip(V / valueScale, -10, 10) (SLM Lab's
 * ReturnNormalizer); null otherwise.
 */
export interface A2cLossConfig {
  readonly kind: 'a2c';
  readonly policyLossCoef: number;
  readonly valLossCoef: number;
  readonly entropyCoef: number;
  readonly lossSpec?: LossSpec;
  readonly valueScale: number | null;
}

export type OnPolicyLossConfig = PpoLossConfig | A2cLossConfig;

/** The names of each loss's terms, in the order `takeTermSums` returns them. */
export const LOSS_TERMS = {
  ppo: ['policy', 'value', 'entropy', 'approx_kl', 'clip_fraction'],
  a2c: ['policy', 'value', 'entropy'],
} as const;

export interface OnPolicyStepResult {
  /** The total loss of the step. */
  readonly loss: number;
  /** Global gradient norm before clipping (all groups). */
  readonly gradNorm: number;
  /** Global norm of the applied gradients (after clip_grad_val). */
  readonly applied: number;
}

export interface OnPolicyCompute {
  /** Which implementation this is. */
  readonly path: 'tfjs' | 'fast';
  /** Numbers per action in `encodeActions`' output (and so in a minibatch's `actions`). */
  readonly actionWidth: number;
  /** Numbers per action as the env takes it and the memory stores it. */
  readonly actionSize: number;
  /** The stored actions of `rows` rows as the loss reads them (one-hot for tfjs's Categorical; as stored on fast). */
  encodeActions(actions: Float32Array, rows: number): Float32Array;
  /** Sets each optimizer's lr for its next step at env frame `frame`; returns the first's. */
  applyLr(frame: number): number;
  /** Actions for observations [rows * obsSize]: sampled with `rng` ('train') or the distribution's mode ('eval'). */
  act(obs: Float32Array, mode: 'train' | 'eval', rng: Rng): ActionBatch;
  /** [2M]: V(s) of the batch's observations, then V(s') of its next observations, outside the gradient; valid until the next call. */
  values(obs: Float32Array, nextObs: Float32Array, rows: number): Float32Array;
  /** [3M]: log pi(a|s) of the encoded actions, then V(s), then V(s'), outside the gradient. */
  logpAndValues(obs: Float32Array, nextObs: Float32Array, encoded: Float32Array, rows: number): Float32Array;
  /** One optimizer step of `loss` on the minibatch (each optimizer on its part, with its clip_grad_val); the terms add to the running sums. */
  step(mb: OnPolicyMinibatch, loss: OnPolicyLossConfig): OnPolicyStepResult;
  /** The sums of the loss terms (LOSS_TERMS order) since the last call, which restarts them at zero. */
  takeTermSums(kind: OnPolicyLossConfig['kind']): ArrayLike<number>;
  /** Every weight by name (copies). */
  weights(): Record<string, Float32Array>;
  /** Nets and optimizers as named tensors. */
  getState(): Record<string, TensorData>;
  setState(tensors: Readonly<Record<string, TensorData>>): void;
  dispose(): void;
}

/** What a compute is built from: the agent's context and the nets' seed. */
export interface OnPolicyComputeOptions {
  readonly ctx: AgentContext;
  readonly netSeed: number;
  /** The largest batch the agent asks about at once (rows of `values`: 2 x the batch). */
  readonly maxBatch: number;
  /** Who the agent is, for error messages. */
  readonly who: string;
}

export type OnPolicyComputeFactory = (opts: OnPolicyComputeOptions) => OnPolicyCompute;
