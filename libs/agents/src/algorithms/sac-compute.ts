/**
 * The compute seam of Soft Actor-Critic: what `SacAgent` (sac.ts: the schedule, the replay, the
 * alpha bookkeeping, the seeds and the checkpoint layout) asks of the nets. Two implementations:
 * TensorFlow.js autodiff (sac-tfjs.ts) and the fast CPU path (sac-fast.ts). Batches, noise and
 * results are plain arrays, so the agent draws every random number itself in one order for both.
 */
import type { AgentContext } from '../types.js';
import type { TensorData } from '../net/types.js';
import type { TargetUpdateConfig } from '../net/target.js';
import type { ReplayBatch } from '../memory/replay.js';
import type { SacConfig } from './sac-config.js';

/** A sampled batch: discrete actions as indices, continuous ones in [-1, 1]. */
export type SacBatch = ReplayBatch<Int32Array> | ReplayBatch<Float32Array>;

/** What an lr schedule sets before a step (tfjs `Optimizer` and `FastAdam` both are). */
export interface SacLrTarget {
  lr: number;
  readonly stepCount: number;
}

export interface SacStepResult {
  readonly loss: number;
  /** Global gradient norm (before clipping) of each optimizer group stepped. */
  readonly gradNorms: readonly number[];
}

export interface SacCriticResult extends SacStepResult {
  /** |min(Q1, Q2)(s, a) - y| [B] when asked (PER priorities), else null. */
  readonly absTd: Float32Array | null;
}

export interface SacPolicyResult extends SacStepResult {
  /** Continuous: log pi(a~|s) [B] of the reparameterised sample; discrete: null. */
  readonly logProb: Float32Array | null;
  /** Mean policy entropy (continuous: -mean log pi). */
  readonly entropy: number;
}

export interface SacCompute {
  /** Optimizer groups in checkpoint order: `actor`, `q1`, `q2` and, when alpha is tuned, `alpha`. */
  readonly groups: readonly (readonly [string, SacLrTarget])[];
  /** Names of the actor and the two online critics (dev checks). */
  readonly netNames: readonly [string, string, string];
  /** Distribution parameters [rows * paramSize] of the policy at `obs` [rows * obsSize]. */
  policyParams(obs: Float32Array, rows: number): Float32Array;
  /**
   * The critic target from the target nets and the policy at s' (continuous: a' from `nextNoise`
   * [B * d]), then one step of each critic on loss_spec(Q_i(s, a), y).
   */
  criticStep(batch: SacBatch, nextNoise: Float32Array | null, alpha: number, wantAbsTd: boolean): SacCriticResult;
  /** One policy step on the batch of the last `criticStep` (continuous: a~ from `noise` [B * d]). */
  policyStep(batch: SacBatch, noise: Float32Array | null, alpha: number): SacPolicyResult;
  /** One step of log_alpha on the alpha loss; returns the loss, norms and log_alpha after it (unclamped). */
  alphaStep(logProb: Float32Array | null, entropy: number): SacStepResult & { readonly logAlpha: number };
  /** Frees what the last criticStep / policyStep kept. */
  endStep(): void;
  logAlpha(): number;
  setLogAlpha(v: number): void;
  /** Moves both target critics towards their online critics (polyak or replace at `frame`). */
  updateTargets(cfg: TargetUpdateConfig, frame: number): void;
  /** The nets' tensors, then each group's optimizer state under `optim/<group>`. */
  getState(): Record<string, TensorData>;
  /** Restores `getState`'s tensors (log_alpha is restored by the agent through setLogAlpha). */
  setState(t: Readonly<Record<string, TensorData>>): void;
  /** Every net's weights by name (copies). */
  netWeights(): Record<string, Float32Array>;
  /** Copies of the parameters of the actor and the two online critics, per net (dev checks). */
  snapshot(): Float32Array[][];
  dispose(): void;
}

/** What a compute implementation is built from: the checked context, the resolved options and the nets' seeds. */
export interface SacComputeInit {
  readonly ctx: AgentContext;
  readonly cfg: SacConfig;
  /** Seeds of the actor, critic 1 and critic 2 (each target starts as its critic). */
  readonly seeds: readonly [number, number, number];
  /** Rows a batch may have (memory batch_size or the envs acting at once, whichever is larger). */
  readonly maxBatch: number;
}

export type SacComputeFactory = (init: SacComputeInit) => SacCompute;
